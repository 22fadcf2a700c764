// A loopback Web Push service for the browser tests: the Node twin of the Rust
// `coagent_push::testing::TestPushService`. It hands out PushSubscriptions with real P-256 keys
// for peers that are not browsers, and for every message checks the VAPID token (RFC 8292) and
// headers and decrypts the body (RFC 8291 over RFC 8188 aes128gcm) the way a browser would, so a
// test sees exactly what the server pushed, or why a push service would have refused it.
// Node built-ins only: it must run without `npm ci` and without Chromium.
//
//   const push = await startPushService();
//   const sub = push.subscription("pat");   // give it to the server as a PushSubscription
//   const msg = await push.waitForMessage("pat", (m) => m.payload.ask_id === id);
//   await push.close();

import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { createServer } from "node:http";

/** RFC 8030 §7.2: a push service must take 4096 bytes of body; real ones take no more. */
const MAX_BODY = 4096;
/** RFC 8292 §2: a token may not expire more than 24 hours after the request. */
const MAX_LIFETIME_S = 24 * 3600;

const b64url = (buf) => Buffer.from(buf).toString("base64url");
/** Strict: Buffer.from(s, "base64url") silently skips characters that are not base64url. */
function unb64url(s, what) {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*={0,2}$/.test(s)) throw new Refusal(403, `${what} is not base64url`);
  return Buffer.from(s, "base64url");
}

/** A refusal and the status a push service answers it with. */
class Refusal extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

/**
 * Checks `Authorization: vapid t=<JWT>, k=<key>` for a push resource at `audience` (its origin).
 * Returns `{key, claims}`; throws a Refusal: 401 when there is no VAPID at all, 403 when it is
 * invalid (RFC 8292 §4.2).
 */
export function verifyVapid(authorization, audience, nowS = Math.floor(Date.now() / 1000)) {
  const m = /^vapid\s+(.*)$/i.exec(authorization ?? "");
  if (!m) {
    const why = authorization ? `Authorization is not the vapid scheme: ${authorization.slice(0, 20)}…` : "no Authorization header";
    throw new Refusal(401, why);
  }
  const params = Object.fromEntries(m[1].split(",").map((p) => p.trim().split(/=(.*)/s).slice(0, 2)));
  const { t: token, k: key } = params;
  if (!token || !key) throw new Refusal(403, `the vapid header needs t= and k=, has ${Object.keys(params).join(", ")}`);

  const point = unb64url(key, "k=");
  if (point.length !== 65 || point[0] !== 0x04) throw new Refusal(403, `k= is ${point.length} bytes, not an uncompressed P-256 point`);
  let publicKey;
  try {
    const jwk = { kty: "EC", crv: "P-256", x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) };
    publicKey = createPublicKey({ key: jwk, format: "jwk" });
  } catch {
    throw new Refusal(403, "k= is not a point on P-256");
  }

  const parts = token.split(".");
  if (parts.length !== 3) throw new Refusal(403, "t= is not a JWS compact token of three parts");
  const json = (part, what) => {
    try {
      const value = JSON.parse(unb64url(part, what).toString("utf8"));
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch (e) {
      if (e instanceof Refusal) throw e;
    }
    throw new Refusal(403, `the JWT ${what} is not a JSON object`);
  };
  const header = json(parts[0], "header");
  if (header.alg !== "ES256") throw new Refusal(403, `JWT alg must be ES256, header is ${JSON.stringify(header)}`);
  // JWS ES256 signatures are r ‖ s, 64 bytes (RFC 7518 §3.4), not DER.
  const signature = unb64url(parts[2], "the JWT signature");
  if (signature.length !== 64) throw new Refusal(403, `JWT signature is ${signature.length} bytes, not 64 of r ‖ s`);
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify("sha256", signed, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)) {
    throw new Refusal(403, "JWT signature does not verify with k=");
  }

  const claims = json(parts[1], "claims");
  if (claims.aud !== audience) {
    throw new Refusal(403, `JWT aud is ${JSON.stringify(claims.aud)}, the push resource's origin is ${audience}`);
  }
  if (!Number.isInteger(claims.exp)) throw new Refusal(403, "JWT has no integer exp");
  if (claims.exp <= nowS) throw new Refusal(403, `JWT expired ${nowS - claims.exp} s ago`);
  if (claims.exp > nowS + MAX_LIFETIME_S) throw new Refusal(403, `JWT exp is ${claims.exp - nowS} s ahead, more than 24 h`);
  // RFC 8292 §2.1: a sub, when sent, is a mailto: or https: URI; we insist on it, as the server sends one.
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) {
    throw new Refusal(403, `JWT sub must be a mailto: or https: URI, got ${JSON.stringify(claims.sub)}`);
  }
  return { key: b64url(point), claims };
}

/**
 * The user agent's side of RFC 8291: decrypts an aes128gcm body with the subscription's ECDH
 * key pair (a node:crypto ECDH object) and 16-byte auth secret. Returns the plaintext Buffer;
 * throws a Refusal (400) saying what is wrong.
 */
export function decrypt(body, ecdh, auth) {
  const bad = (why) => new Refusal(400, `cannot decrypt: ${why}`);
  // RFC 8188 §2.1: salt (16) ‖ record size (uint32 BE) ‖ idlen (1) ‖ keyid.
  if (body.length < 21) throw bad(`body of ${body.length} bytes is shorter than the aes128gcm header`);
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLen = body[20];
  // RFC 8291 §4: the key id is the application server's public key, uncompressed.
  if (idLen !== 65 || body.length < 21 + idLen) throw bad(`key id of ${idLen} bytes; RFC 8291 wants the 65-byte sender public key`);
  const asPublic = body.subarray(21, 86);
  const ciphertext = body.subarray(86);
  // RFC 8291 §4: one record, holding at least the delimiter and the 16-byte tag.
  if (recordSize < 18) throw bad(`record size ${recordSize} is below the minimum of 18`);
  if (ciphertext.length > recordSize || ciphertext.length < 17) {
    throw bad(`${ciphertext.length} bytes of ciphertext are not one record of at most ${recordSize}`);
  }

  let ecdhSecret;
  try {
    ecdhSecret = ecdh.computeSecret(asPublic);
  } catch {
    throw bad("the sender key is not a P-256 point");
  }
  // RFC 8291 §3.4: the auth secret and both public keys go into the IKM...
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, auth, keyInfo, 32));
  // ...and RFC 8188 §2.2-2.3 derive the key and nonce from it with the salt. The only record has
  // sequence number 0, so the nonce is used as derived.
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));

  let padded;
  try {
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(-16));
    padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  } catch {
    throw bad("authentication failed: wrong keys or a tampered body");
  }
  // RFC 8188 §2: data ‖ delimiter (2 for the last record) ‖ zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0) throw bad("the record is all padding, no delimiter");
  if (padded[end] !== 2) throw bad(`the last record ends in delimiter ${padded[end]}, not 2`);
  return padded.subarray(0, end);
}

/** Starts the service on a free port of 127.0.0.1. */
export async function startPushService() {
  const devices = new Map(); // name → { ecdh, auth }
  const received = []; // { name, payload, headers, vapid: { key, claims } }
  const refused = []; // { name, status, reason, headers }

  // Everything is inside the try: a throw escaping an async request handler would be an
  // unhandled rejection, which ends the whole test process.
  const server = createServer(async (req, res) => {
    const name = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url)?.[1] ?? "";
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      if (req.method !== "POST" || !name) throw new Refusal(404, `no push resource at ${req.method} ${req.url}`);
      const device = devices.get(name);
      if (!device) throw new Refusal(404, `no subscription named ${name}`);
      const vapid = verifyVapid(req.headers.authorization, url);
      const { "content-encoding": encoding, ttl } = req.headers;
      if (encoding !== "aes128gcm") throw new Refusal(400, `Content-Encoding is ${JSON.stringify(encoding)}, not aes128gcm`);
      if (!/^\d+$/.test(ttl ?? "")) throw new Refusal(400, `TTL ${JSON.stringify(ttl)} is not whole seconds`);
      if (body.length > MAX_BODY) throw new Refusal(413, `body of ${body.length} bytes is over ${MAX_BODY}`);
      const text = decrypt(body, device.ecdh, device.auth).toString("utf8");
      let payload = text;
      try {
        payload = JSON.parse(text);
      } catch {
        // not JSON: kept as the string
      }
      received.push({ name, payload, headers: req.headers, vapid });
      res.writeHead(201, { location: `/message/${received.length}` }).end();
    } catch (e) {
      // Anything unexpected is our bug, not the sender's: record it as a 500 rather than hang.
      const status = e instanceof Refusal ? e.status : 500;
      refused.push({ name, status, reason: e.message, headers: req.headers });
      res.writeHead(status, { "content-type": "text/plain" }).end(e.message);
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;

  const messages = (name) => received.filter((m) => name === undefined || m.name === name);
  const rejections = () => [...refused];
  const summary = () =>
    JSON.stringify(
      {
        messages: received.map(({ name, payload }) => ({ name, payload })),
        rejections: refused.map(({ name, status, reason }) => ({ name, status, reason })),
      },
      null,
      2,
    );

  return {
    url,
    /**
     * A PushSubscription JSON for a new peer `name` (letters, digits, - and _), with fresh keys;
     * subscribing a name again replaces its keys, as a browser re-subscribing would.
     */
    subscription(name) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`subscription name ${JSON.stringify(name)} must be URL-safe`);
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      devices.set(name, { ecdh, auth });
      return { endpoint: `${url}/push/${name}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    /** Messages that passed every check, decrypted, in order of arrival; only `name`'s if given. */
    messages,
    /** Requests refused: `{name, status, reason, headers}`. */
    rejections,
    /** The first of `name`'s messages matching `predicate`, waiting up to `timeoutMs` for it. */
    async waitForMessage(name, predicate = () => true, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages(name).find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no push message for ${name} matching ${predicate} within ${timeoutMs} ms; what arrived: ${summary()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      // The sender may keep connections alive; without this close() waits for them to time out.
      server.closeAllConnections();
      await new Promise((ok) => server.close(() => ok()));
    },
  };
}
