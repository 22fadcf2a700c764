import { describe, expect, it } from "vitest";
import { base64UrlToBytes, sameBytes } from "../src/push/base64url";
import { ICON, notificationFor, parsePushPayload, safeUrl } from "../src/push/notification";

describe("base64url → bytes", () => {
  it("decodes unpadded base64url with - and _", () => {
    // 0xfb 0xff 0xfe is "+//+" in standard base64, "-__-" in base64url.
    expect([...base64UrlToBytes("-__-")]).toEqual([0xfb, 0xff, 0xfe]);
    expect([...base64UrlToBytes("AQID")]).toEqual([1, 2, 3]);
    expect([...base64UrlToBytes("AQ")]).toEqual([1]);
    expect([...base64UrlToBytes("AQI")]).toEqual([1, 2]);
  });

  it("accepts padding and standard base64 too", () => {
    expect([...base64UrlToBytes("AQ==")]).toEqual([1]);
    expect([...base64UrlToBytes("+//+")]).toEqual([0xfb, 0xff, 0xfe]);
  });

  it("gives the 65 bytes of an uncompressed P-256 point from a VAPID key", () => {
    const raw = Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : (i * 37) & 0xff));
    const key = Buffer.from(raw).toString("base64url");
    expect(key).not.toMatch(/=/);
    const bytes = base64UrlToBytes(key);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(4);
    expect(sameBytes(bytes, raw)).toBe(true);
  });

  it("refuses text that is not base64url", () => {
    expect(() => base64UrlToBytes("not base64!")).toThrow();
    expect(() => base64UrlToBytes("A")).toThrow();
  });

  it("compares keys byte by byte", () => {
    expect(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]).buffer)).toBe(true);
    expect(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(sameBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});

describe("push payload → notification", () => {
  it("a request names the asker by first name and opens the request", () => {
    const n = notificationFor(parsePushPayload(JSON.stringify({ kind: "request", ask_id: "a1", title: "Forklift battery dies", asker: "Claire Martin", url: "/#/requests/a1" })));
    expect(n.title).toBe("Claire asks: Forklift battery dies");
    expect(n.options).toMatchObject({ tag: "request-a1", icon: ICON, data: { url: "/#/requests/a1" } });
    expect(n.options.body).toMatch(/answer/);
  });

  it("a digest says the answers are in and opens the ask", () => {
    const n = notificationFor(parsePushPayload(JSON.stringify({ kind: "digest", ask_id: "a2", title: "Night shift rota", url: "/#/asks/a2" })));
    expect(n.title).toBe("Your answers are in: Night shift rota");
    expect(n.options).toMatchObject({ tag: "digest-a2", data: { url: "/#/asks/a2" } });
  });

  it("uses the same tag for a repeated push, so it replaces instead of stacking", () => {
    const p = JSON.stringify({ kind: "request", ask_id: "a1", title: "T", asker: "Ana", url: "/#/requests/a1" });
    expect(notificationFor(parsePushPayload(p)).options.tag).toBe(notificationFor(parsePushPayload(p)).options.tag);
    const digest = JSON.stringify({ kind: "digest", ask_id: "a1", title: "T", url: "/#/asks/a1" });
    expect(notificationFor(parsePushPayload(digest)).options.tag).not.toBe(notificationFor(parsePushPayload(p)).options.tag);
  });

  it("keeps the title short", () => {
    const n = notificationFor({ kind: "request", ask_id: "a", title: "x".repeat(300), asker: "Ana" });
    expect(n.title.length).toBeLessThanOrEqual("Ana asks: ".length + 80);
    expect(n.title.endsWith("…")).toBe(true);
  });

  it("never opens another site, and falls back to the ask's own screen", () => {
    expect(notificationFor({ kind: "request", ask_id: "a1", title: "T", asker: "Ana", url: "https://evil.example/" }).options.data.url).toBe("/#/requests/a1");
    expect(notificationFor({ kind: "digest", ask_id: "a1", title: "T", url: "//evil.example/x" }).options.data.url).toBe("/#/asks/a1");
    expect(safeUrl("/#/inbox", "/")).toBe("/#/inbox");
    expect(safeUrl(undefined, "/")).toBe("/");
  });

  it("still shows something for an unreadable payload (a visible push must show one)", () => {
    const n = notificationFor(parsePushPayload("not json"));
    expect(n.title).toBe("coagent");
    expect(n.options.data.url).toBe("/");
    expect(notificationFor(parsePushPayload(null)).title).toBe("coagent");
    expect(notificationFor({ kind: "request" }).title).toBe("A colleague asks for your help");
  });
});
