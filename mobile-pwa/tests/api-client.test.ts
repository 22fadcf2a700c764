import { describe, expect, it, vi } from "vitest";
import { ApiError, createApi, liveUrl } from "../src/api/client";
import { withNetwork } from "../src/api/network";

function fakeFetch(status: number, body: unknown) {
  return vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }));
}

describe("api client", () => {
  it("joins with the invite code and returns the session", async () => {
    const fetch = fakeFetch(200, { token: "t0k", member: { id: "m1", name: "Ana" } });
    const api = createApi({ fetch, base: "http://server" });
    await expect(api.join("CODE")).resolves.toEqual({ token: "t0k", member: { id: "m1", name: "Ana" } });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe("http://server/api/v1/sessions");
    expect(init?.method).toBe("POST");
    expect(JSON.parse(String(init?.body))).toEqual({ invite_code: "CODE" });
  });

  it("sends the bearer token when it has one", async () => {
    const fetch = fakeFetch(200, { asks: [] });
    await createApi({ fetch, token: () => "t0k" }).listAsks();
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).Authorization).toBe("Bearer t0k");
  });

  it("turns the error envelope into an ApiError with the server's code", async () => {
    const api = createApi({ fetch: fakeFetch(503, { error: { code: "busy", message: "Try later" } }) });
    const err = await api.listAsks().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: "busy", message: "Try later", retryable: true });
  });

  it("reports no network as a retryable `network` error", async () => {
    const api = createApi({ fetch: vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))) });
    await expect(api.me()).rejects.toMatchObject({ code: "network", retryable: true });
  });

  it("tells the app when the session is no longer valid", async () => {
    const onUnauthorized = vi.fn();
    const api = createApi({ fetch: fakeFetch(401, { error: { code: "unauthorized", message: "x" } }), onUnauthorized });
    await expect(api.me()).rejects.toMatchObject({ code: "unauthorized", retryable: false });
    expect(onUnauthorized).toHaveBeenCalled();
  });

  it("uploads audio as multipart with an idempotency key", async () => {
    const fetch = fakeFetch(201, { id: "a1", status: "draft", card: {} });
    await createApi({ fetch }).createAudioAsk(new Blob([new Uint8Array(44)], { type: "audio/wav" }), "rec-1");
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.body).toBeInstanceOf(FormData);
    const file = (init?.body as FormData).get("audio") as File;
    expect(file.name).toBe("recording.wav");
    expect(file.type).toBe("audio/wav");
    expect((init?.headers as Record<string, string>)["Idempotency-Key"]).toBe("rec-1");
  });

  it("confirms with the edited card", async () => {
    const fetch = fakeFetch(200, {});
    await createApi({ fetch }).confirmAsk("a/1", { title: "T", summary: "S", help_needed: "H" });
    expect(fetch.mock.calls[0]?.[0]).toBe("/api/v1/asks/a%2F1/confirm");
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual({ title: "T", summary: "S", help_needed: "H" });
  });

  it("sends share_audio with the confirmed card", async () => {
    const fetch = fakeFetch(200, {});
    await createApi({ fetch }).confirmAsk("a1", { title: "T", summary: "S", help_needed: "H", share_audio: false });
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual({ title: "T", summary: "S", help_needed: "H", share_audio: false });
  });

  it("calls the network endpoints at the contract's paths", async () => {
    const cases: [(api: ReturnType<typeof withNetwork>) => Promise<unknown>, string, string, unknown, unknown][] = [
      [(a) => a.inbox(), "GET", "/api/v1/inbox", undefined, { requests: [] }],
      [(a) => a.members(), "GET", "/api/v1/members", undefined, { members: [] }],
      [(a) => a.similarAsks("a1"), "GET", "/api/v1/asks/a1/similar", undefined, { similar: [] }],
      [(a) => a.vapidPublicKey(), "GET", "/api/v1/push/vapid-public-key", undefined, { public_key: "AQID" }],
      [(a) => a.savePushSubscription({ endpoint: "e", keys: { p256dh: "p", auth: "x" } }), "POST", "/api/v1/push/subscriptions", { endpoint: "e", keys: { p256dh: "p", auth: "x" } }, { id: "s" }],
      [(a) => a.deletePushSubscription("e"), "DELETE", "/api/v1/push/subscriptions", { endpoint: "e" }, undefined],
      [(a) => a.saveProfile({ expertise: "", team: "", site: "", timezone: "UTC", quiet_hours: null, weekly_budget: 2, contact: { email: null, phone: null } }), "PUT", "/api/v1/me/profile", { expertise: "", team: "", site: "", timezone: "UTC", quiet_hours: null, weekly_budget: 2, contact: { email: null, phone: null } }, {}],
      [(a) => a.answerText("a1", "hi"), "POST", "/api/v1/asks/a1/answers", { text: "hi" }, { answer_id: "x" }],
      [(a) => a.pass("a1"), "POST", "/api/v1/asks/a1/pass", undefined, undefined],
      [(a) => a.refer("a1", "m2"), "POST", "/api/v1/asks/a1/refer", { member_id: "m2" }, undefined],
      [(a) => a.feedback("a1", "x", false), "POST", "/api/v1/asks/a1/feedback", { answer_id: "x", helpful: false }, undefined],
      [(a) => a.contact("a1", "m2", "call"), "POST", "/api/v1/asks/a1/contacts", { member_id: "m2", channel: "call" }, { href: "tel:1" }],
      [(a) => a.closeAsk("a1"), "POST", "/api/v1/asks/a1/close", undefined, undefined],
    ];
    for (const [run, method, path, body, reply] of cases) {
      const fetch = fakeFetch(reply === undefined ? 204 : 200, reply);
      await run(withNetwork(createApi({ fetch })));
      const [url, init] = fetch.mock.calls[0] ?? [];
      expect(`${init?.method} ${String(url)}`).toBe(`${method} ${path}`);
      expect(init?.body === undefined ? undefined : JSON.parse(String(init.body))).toEqual(body);
    }
  });

  it("builds the WebSocket address from the page's origin", () => {
    expect(liveUrl({ protocol: "https:", host: "c.example" })).toBe("wss://c.example/api/v1/live");
    expect(liveUrl({ protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080/api/v1/live");
  });
});
