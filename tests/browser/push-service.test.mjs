// The loopback push service the browser tests subscribe peers with (push-service.mjs). Needs
// nothing but Node: no coagent binary, no PWA build, no Chromium, no `npm ci`.
//   node --test tests/browser/push-service.test.mjs
//
// The sender below is written here from RFC 8291 / RFC 8292 with node:crypto, and is itself
// checked against the RFC's example, so a round trip cannot pass on two matching mistakes.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, createECDH, generateKeyPairSync, hkdfSync, randomBytes, sign } from "node:crypto";

import { decrypt, startPushService } from "./push-service.mjs";

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const unb64 = (s) => Buffer.from(s, "base64url");
const nowS = () => Math.floor(Date.now() / 1000);

// RFC 8291 Appendix A.
const RFC = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml" +
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

function ecdhFromPrivate(privateKey) {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(unb64(privateKey));
  return ecdh;
}

/** RFC 8291 §3-4, the application server's side: one aes128gcm record of `plaintext`. */
function encrypt(subscription, plaintext, { asEcdh, salt = randomBytes(16), recordSize = 4096 } = {}) {
  if (!asEcdh) {
    asEcdh = createECDH("prime256v1");
    asEcdh.generateKeys();
  }
  const uaPublic = unb64(subscription.keys.p256dh);
  const asPublic = asEcdh.getPublicKey();
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hkdfSync("sha256", asEcdh.computeSecret(uaPublic), unb64(subscription.keys.auth), keyInfo, 32);
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, "Content-Encoding: aes128gcm\0", 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, "Content-Encoding: nonce\0", 12));
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  // RFC 8188 §2: the last (here only) record ends in the delimiter 2, no padding after it.
  const data = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.update(Buffer.from([2])), cipher.final()]);
  const sealed = Buffer.concat([data, cipher.getAuthTag()]);
  const header = Buffer.alloc(21);
  salt.copy(header);
  header.writeUInt32BE(recordSize, 16);
  header[20] = asPublic.length;
  return Buffer.concat([header, asPublic, sealed]);
}

/** A VAPID key pair: the private KeyObject and `k`, the uncompressed public point in base64url. */
function vapidKeys() {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { x, y } = publicKey.export({ format: "jwk" });
  return { privateKey, k: b64url(Buffer.concat([Buffer.from([4]), unb64(x), unb64(y)])) };
}

/** RFC 8292 §2-3: `vapid t=<ES256 JWT>, k=<key>`. */
function vapidHeader(keys, claims) {
  const signing = `${b64url(JSON.stringify({ typ: "JWT", alg: "ES256" }))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(signing), { key: keys.privateKey, dsaEncoding: "ieee-p1363" });
  return `vapid t=${signing}.${b64url(signature)}, k=${keys.k}`;
}

const SERVER_KEYS = vapidKeys();

/** Sends `payload` to `subscription` as coagent's server does; `change` tampers with the request. */
async function send(subscription, payload, change = {}) {
  const aud = new URL(subscription.endpoint).origin;
  const claims = { aud, exp: nowS() + 12 * 3600, sub: "mailto:ops@example.com", ...change.claims };
  const headers = {
    authorization: vapidHeader(change.keys ?? SERVER_KEYS, claims),
    "content-encoding": "aes128gcm",
    "content-type": "application/octet-stream",
    ttl: "60",
    urgency: "high",
    ...change.headers,
  };
  for (const [k, v] of Object.entries(headers)) if (v === undefined) delete headers[k];
  const body = encrypt(change.encryptFor ?? subscription, typeof payload === "string" ? payload : JSON.stringify(payload));
  const res = await fetch(change.endpoint ?? subscription.endpoint, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

const push = await startPushService();
after(() => push.close());

test("decrypts the RFC 8291 Appendix A example", () => {
  const ua = ecdhFromPrivate(RFC.uaPrivate);
  assert.equal(b64url(ua.getPublicKey()), RFC.uaPublic);
  const body = unb64(RFC.body);
  assert.equal(decrypt(body, ua, unb64(RFC.auth)).toString(), RFC.plaintext);

  // A tampered body or a wrong auth secret does not decrypt.
  const tampered = Buffer.from(body);
  tampered[tampered.length - 1] ^= 1;
  assert.throws(() => decrypt(tampered, ua, unb64(RFC.auth)), /authentication failed/);
  const wrongAuth = unb64(RFC.auth);
  wrongAuth[0] ^= 1;
  assert.throws(() => decrypt(body, ua, wrongAuth), /authentication failed/);
  assert.throws(() => decrypt(body.subarray(0, 90), ua, unb64(RFC.auth)), /ciphertext/);
});

test("the test's sender reproduces the RFC 8291 example byte for byte", () => {
  const as = ecdhFromPrivate(RFC.asPrivate);
  assert.equal(b64url(as.getPublicKey()), RFC.asPublic);
  const subscription = { keys: { p256dh: RFC.uaPublic, auth: RFC.auth } };
  assert.equal(b64url(encrypt(subscription, RFC.plaintext, { asEcdh: as, salt: unb64(RFC.salt) })), RFC.body);
});

test("a signed, encrypted message round-trips: 201, decrypted, recorded for its peer", async () => {
  const sub = push.subscription("pat");
  assert.equal(sub.endpoint, `${push.url}/push/pat`);
  assert.match(push.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(unb64(sub.keys.p256dh).length, 65);
  assert.equal(unb64(sub.keys.auth).length, 16);
  push.subscription("sam");

  const sent = await send(sub, { kind: "request", ask_id: "a1", title: "How do we rally people?" });
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await send(sub, "plain words")).status, 201);

  const msg = await push.waitForMessage("pat", (m) => m.payload.ask_id === "a1", 5000);
  assert.deepEqual(msg.payload, { kind: "request", ask_id: "a1", title: "How do we rally people?" });
  assert.equal(msg.name, "pat");
  assert.equal(msg.headers.ttl, "60");
  assert.equal(msg.headers.urgency, "high");
  assert.equal(msg.vapid.key, SERVER_KEYS.k);
  assert.equal(msg.vapid.claims.sub, "mailto:ops@example.com");
  assert.equal((await push.waitForMessage("pat", (m) => m.payload === "plain words", 5000)).payload, "plain words");
  assert.equal(push.messages("pat").length, 2);
  assert.equal(push.messages("sam").length, 0);
  assert.deepEqual(push.rejections(), []);
});

test("refuses bad signatures, wrong audiences, expired tokens and bad messages, and says why", async () => {
  const sub = push.subscription("rex");
  const other = push.subscription("other");
  // Signed by another key, but claiming to be the server's.
  const forged = vapidHeader(vapidKeys(), { aud: push.url, exp: nowS() + 3600, sub: "mailto:x@example.com" }).replace(/k=.*/, `k=${SERVER_KEYS.k}`);
  const cases = [
    { why: "a forged signature", change: { headers: { authorization: forged } }, status: 403, reason: /does not verify/ },
    { why: "a wrong audience", change: { claims: { aud: "https://push.example.net" } }, status: 403, reason: /aud/ },
    { why: "an expired token", change: { claims: { exp: nowS() - 60 } }, status: 403, reason: /expired/ },
    { why: "a token for more than 24 h", change: { claims: { exp: nowS() + 25 * 3600 } }, status: 403, reason: /24 h/ },
    { why: "no sub", change: { claims: { sub: undefined } }, status: 403, reason: /sub/ },
    { why: "no Authorization", change: { headers: { authorization: undefined } }, status: 401, reason: /no Authorization/ },
    { why: "no TTL", change: { headers: { ttl: undefined } }, status: 400, reason: /TTL/ },
    { why: "the old aesgcm encoding", change: { headers: { "content-encoding": "aesgcm" } }, status: 400, reason: /aes128gcm/ },
    { why: "a body for another subscription's keys", change: { encryptFor: other }, status: 400, reason: /authentication failed/ },
    { why: "an unknown subscription", change: { endpoint: `${push.url}/push/nobody` }, status: 404, reason: /nobody/ },
  ];
  for (const { why, change, status, reason } of cases) {
    const before = push.rejections().length;
    const sent = await send(sub, { why }, change);
    assert.equal(sent.status, status, `${why}: ${sent.text}`);
    const [rejection, ...more] = push.rejections().slice(before);
    assert.equal(more.length, 0, why);
    assert.equal(rejection.status, status, why);
    assert.match(rejection.reason, reason, why);
    assert.equal(rejection.name, change.endpoint ? "nobody" : "rex", why);
  }
  assert.deepEqual(push.messages("rex"), []);
  // A malformed request is answered, not a crash of the test process.
  assert.equal((await fetch(`${push.url}/push/%zz`, { method: "POST", body: "x" })).status, 404);
  assert.equal((await fetch(`${push.url}/elsewhere`)).status, 404);

  // Waiting in vain fails with what did arrive, refusals included.
  await assert.rejects(push.waitForMessage("rex", (m) => m.payload.ok, 200), (e) => {
    assert.match(e.message, /no push message for rex/);
    assert.match(e.message, /does not verify/);
    assert.match(e.message, /expired/);
    return true;
  });
});
