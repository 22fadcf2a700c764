// The server's VAPID public key comes as base64url text (RFC 4648 §5, usually unpadded);
// pushManager.subscribe wants its raw bytes.

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  // Standard base64 ("+", "/", padding) is accepted too: some key generators print it.
  const body = text.trim().replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) throw new Error("not base64url text");
  const binary = atob(body + "===".slice((body.length + 3) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Same bytes? For comparing the key a subscription was made with to the server's current one. */
export function sameBytes(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  const x = a instanceof Uint8Array ? a : new Uint8Array(a);
  const y = b instanceof Uint8Array ? b : new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
