// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import type { CaptureCallbacks } from "../src/audio/capture";
import { requestView } from "../src/ui/request-view";
import { allByTestId, byTestId, fakeBackend, fakeContext, until, type Reply } from "./fake-backend";
import { FakeServer, concat, frame } from "./fake-socket";

vi.mock("../src/audio/capture", () => {
  class CaptureError extends Error {
    constructor(readonly code: string) {
      super(code);
    }
  }
  return { CaptureError, startCapture: () => Promise.reject(new Error("not in tests")) };
});

const ask = {
  id: "a1",
  status: "routed",
  card: { title: "Forklift battery dies mid-shift", summary: "Batteries last 5 h.", help_needed: "Who changed chargers?", tags: ["forklift", "batteries"] },
  asker: { id: "claire", name: "Claire Martin" },
  share_audio: false,
  my_request: { state: "open", asked_at: "2025-03-10T11:00:00Z" },
};

function setup(extra: Record<string, Reply> = {}, askBody: object = ask) {
  const b = fakeBackend({ "GET /api/v1/asks/a1": { body: askBody }, ...extra });
  const f = fakeContext(b.api);
  const el = requestView(f.ctx, "a1", { returnMs: 5 });
  document.body.replaceChildren(el);
  return { ...b, ...f, el };
}

const loaded = (el: HTMLElement) => until(() => el.querySelector("[data-testid=request-card-title]") !== null, "request loaded");
// (The heading exists from the start; it takes the testid, and the title, once the request is in.)

describe("request screen", () => {
  it("shows the card and who asks; no audio player unless the asker shared it", async () => {
    const { el } = setup();
    await loaded(el);
    expect(byTestId(el, "request-card-title").textContent).toBe("Forklift battery dies mid-shift");
    expect(byTestId(el, "request-asker").textContent).toContain("Claire Martin asks");
    expect(el.textContent).toContain("Who changed chargers?");
    expect(el.querySelectorAll(".tags li")).toHaveLength(2);
    expect(el.querySelector("audio")).toBeNull();
  });

  it("plays the original recording when the asker allowed it", async () => {
    const { el } = setup({}, { ...ask, share_audio: true });
    await loaded(el);
    const audio = byTestId<HTMLAudioElement>(el, "request-audio");
    expect(audio.getAttribute("src")).toBe("/api/v1/asks/a1/audio");
    expect(audio.hasAttribute("controls")).toBe(true);
  });

  it("answers in writing with POST /answers, says thank you, then goes back to the inbox", async () => {
    const { el, called, went, notices } = setup({ "POST /api/v1/asks/a1/answers": { status: 201, body: { answer_id: "ans1" } } });
    await loaded(el);
    byTestId<HTMLTextAreaElement>(el, "answer-text").value = "  We moved to opportunity charging.  ";
    byTestId(el, "answer-send").click();
    await until(() => !byTestId(el, "answer-sent").hidden);
    expect(byTestId(el, "answer-sent").textContent).toMatch(/^Sent — thank you/);
    expect(called("POST", "/api/v1/asks/a1/answers")[0]?.body).toEqual({ text: "We moved to opportunity charging." });
    await until(() => went.length > 0);
    expect(went).toEqual(["#/inbox"]);
    expect(notices.at(-1)).toMatch(/thank you/i);
  });

  it("does not send an empty written answer", async () => {
    const { el, calls } = setup();
    await loaded(el);
    byTestId(el, "answer-send").click();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
    expect(el.textContent).toContain("Write your answer first");
  });

  it("passes with POST /pass and returns to the inbox with a confirmation", async () => {
    const { el, called, went, notices } = setup({ "POST /api/v1/asks/a1/pass": { status: 204 } });
    await loaded(el);
    byTestId(el, "pass-button").click();
    await until(() => went.length > 0);
    expect(called("POST", "/api/v1/asks/a1/pass")).toHaveLength(1);
    expect(went).toEqual(["#/inbox"]);
    expect(notices.at(-1)).toMatch(/passed/);
  });

  it("refers a colleague picked from GET /members (not me, not the asker) with POST /refer", async () => {
    const { el, called, went, notices } = setup({
      "GET /api/v1/members": {
        body: {
          members: [
            { id: "me", name: "Me", team: "Ops", site: "Lyon" },
            { id: "claire", name: "Claire Martin", team: "Ops", site: "Lyon" },
            { id: "dan", name: "Dan Roy", team: "Maintenance", site: "Porto" },
            { id: "eve", name: "Eve Stone", team: "Quality", site: "Lyon" },
          ],
        },
      },
      "POST /api/v1/asks/a1/refer": { status: 204 },
    });
    await loaded(el);
    const refer = byTestId(el, "refer-button");
    expect(refer.getAttribute("aria-expanded")).toBe("false");
    refer.click();
    expect(refer.getAttribute("aria-expanded")).toBe("true");
    const select = byTestId<HTMLSelectElement>(el, "refer-select");
    await until(() => select.options.length > 0);
    expect([...select.options].map((o) => o.value)).toEqual(["dan", "eve"]);
    const filter = byTestId<HTMLInputElement>(el, "refer-filter");
    filter.value = "porto";
    filter.dispatchEvent(new Event("input"));
    expect([...select.options].map((o) => o.value)).toEqual(["dan"]);
    select.value = "dan";
    byTestId(el, "refer-send").click();
    await until(() => went.length > 0);
    expect(called("POST", "/api/v1/asks/a1/refer")[0]?.body).toEqual({ member_id: "dan" });
    expect(notices.at(-1)).toContain("Dan Roy");
  });

  it("shows a refusal where the action was, and stays on the request", async () => {
    const { el, went } = setup({ "POST /api/v1/asks/a1/pass": { status: 409, body: { error: { code: "invalid_transition", message: "The ask is closed." } } } });
    await loaded(el);
    byTestId(el, "pass-button").click();
    await until(() => el.textContent?.includes("The ask is closed.") ?? false);
    expect(went).toEqual([]);
  });

  it("answers by voice over the live socket with purpose answer, showing the live transcript", async () => {
    const server = new FakeServer();
    let mic: CaptureCallbacks | null = null;
    const b = fakeBackend({ "GET /api/v1/asks/a1": { body: ask } });
    const f = fakeContext(b.api, {
      voice: {
        startCapture: async (callbacks) => {
          mic = callbacks;
          return { stop: async () => {} };
        },
        openSocket: server.openSocket,
        liveUrl: "ws://test/api/v1/live",
        isOnline: () => true,
      },
    });
    const el = requestView(f.ctx, "a1", { returnMs: 5 });
    document.body.replaceChildren(el);
    await loaded(el);
    const talk = byTestId<HTMLButtonElement>(el, "answer-talk-button");
    talk.click(); // a click (screen reader, tap) starts; the next one sends
    await until(() => server.connections.length === 1, "socket opened");
    const conn = server.last;
    conn.open();
    expect(conn.messages[0]).toMatchObject({ type: "start", purpose: "answer", ask_id: "a1" });
    conn.reply({ type: "ready", recording_id: "rec-9", received_ms: 0 });
    (mic as CaptureCallbacks | null)?.onFrame(frame(0));
    conn.reply({ type: "partial", committed: "We moved", tentative: "to opportunity" });
    const live = byTestId(el, "answer-live-transcript");
    expect(live.hidden).toBe(false);
    expect(live.textContent).toContain("We moved");
    expect(talk.getAttribute("aria-pressed")).toBe("true");

    talk.click();
    await until(() => conn.kinds.at(-1) === "stop", "stop sent");
    expect(conn.audio).toEqual(concat([frame(0)]));
    conn.reply({ type: "transcript", recording_id: "rec-9", text: "We moved to opportunity charging.", duration_ms: 100 });
    conn.reply({ type: "answer", answer_id: "ans-7" });
    conn.reply({ type: "done" });
    expect(byTestId(el, "answer-sent").hidden).toBe(false);
    expect(byTestId(el, "answer-sent").textContent).toMatch(/^Sent — thank you/);
    await until(() => f.went.length > 0);
    expect(f.went).toEqual(["#/inbox"]);
  });

  it("uploads a spoken answer as a WAV file when the live session fails", async () => {
    const server = new FakeServer();
    let mic: CaptureCallbacks | null = null;
    const b = fakeBackend({ "GET /api/v1/asks/a1": { body: ask }, "POST /api/v1/asks/a1/answers": { status: 201, body: { answer_id: "ans-8" } } });
    const f = fakeContext(b.api, {
      voice: {
        startCapture: async (callbacks) => {
          mic = callbacks;
          return { stop: async () => {} };
        },
        openSocket: server.openSocket,
        liveUrl: "ws://test/api/v1/live",
        isOnline: () => true,
      },
    });
    const el = requestView(f.ctx, "a1", { returnMs: 5 });
    document.body.replaceChildren(el);
    await loaded(el);
    const talk = byTestId<HTMLButtonElement>(el, "answer-talk-button");
    talk.click();
    await until(() => server.connections.length === 1);
    server.last.open();
    server.last.reply({ type: "error", code: "busy", message: "At capacity" });
    (mic as CaptureCallbacks | null)?.onFrame(frame(0));
    (mic as CaptureCallbacks | null)?.onFrame(frame(1));
    talk.click();
    await until(() => !byTestId(el, "answer-sent").hidden, "sent by upload");
    const upload = b.called("POST", "/api/v1/asks/a1/answers")[0]?.body as FormData;
    const file = upload.get("audio") as File;
    expect(file.type).toBe("audio/wav");
    expect(new Uint8Array(await file.arrayBuffer()).subarray(44)).toEqual(concat([frame(0), frame(1)]));
  });

  it("stops the microphone and the return timer when the peer leaves the screen", async () => {
    const { el, leave, went } = setup({ "POST /api/v1/asks/a1/answers": { status: 201, body: { answer_id: "x" } } });
    await loaded(el);
    byTestId<HTMLTextAreaElement>(el, "answer-text").value = "ok";
    byTestId(el, "answer-send").click();
    await until(() => !byTestId(el, "answer-sent").hidden);
    leave();
    await new Promise((r) => setTimeout(r, 20));
    expect(went).toEqual([]);
  });

  it("says so when the ask is closed, with no actions", async () => {
    const { el } = setup({}, { ...ask, status: "closed" });
    await loaded(el);
    expect(byTestId(el, "request-closed").textContent).toMatch(/closed/);
    expect(allByTestId(el, "answer-send")).toHaveLength(0);
    expect(allByTestId(el, "pass-button")).toHaveLength(0);
  });

  it("after an answer, keeps answering possible but not passing", async () => {
    const { el } = setup({}, { ...ask, my_request: { state: "answered" } });
    await loaded(el);
    expect(byTestId(el, "request-state").textContent).toMatch(/You answered/);
    expect(allByTestId(el, "answer-send")).toHaveLength(1);
    expect(allByTestId(el, "pass-button")).toHaveLength(0);
  });

  it("shows a request it cannot see as not found", async () => {
    const b = fakeBackend({});
    const el = requestView(fakeContext(b.api).ctx, "zzz");
    await until(() => el.querySelector("[role=alert]") !== null);
    expect(el.textContent).toContain("no longer exists");
  });
});
