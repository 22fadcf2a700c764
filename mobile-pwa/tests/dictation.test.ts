import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createApi, type Api } from "../src/api/client";
import { CaptureError, type CaptureCallbacks } from "../src/audio/capture";
import { Dictation, type DictationState } from "../src/app/dictation";
import { openDb } from "../src/offline/db";
import { UploadQueue } from "../src/offline/queue";
import { RecordingStore } from "../src/offline/store";
import { FakeServer, concat, frame } from "./fake-socket";

vi.mock("../src/audio/capture", async () => {
  // capture.ts imports the worklet through Vite's `?worker&url`; the tests only need its types
  // and error class.
  class CaptureError extends Error {
    constructor(readonly code: string) {
      super(code);
    }
  }
  return { CaptureError, startCapture: () => Promise.reject(new Error("not in tests")) };
});

/** Stands in for the microphone: the test pushes frames; stop() delivers the short tail. */
class FakeMic {
  callbacks: CaptureCallbacks | null = null;
  tail: Uint8Array | null = null;
  stopped = false;
  fail: CaptureError | null = null;
  start = async (callbacks: CaptureCallbacks) => {
    if (this.fail) throw this.fail;
    this.callbacks = callbacks;
    return {
      stop: async () => {
        if (this.tail) callbacks.onFrame(this.tail);
        this.stopped = true;
      },
    };
  };
  speak(...frames: Uint8Array[]) {
    for (const f of frames) this.callbacks?.onFrame(f);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));
/** Waits (a few event-loop turns at a time) until `check` holds; IndexedDB and the capture
 * promises settle asynchronously. */
async function until(check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await settle();
  }
  throw new Error("condition never became true");
}

let online: boolean;
let mic: FakeMic;
let server: FakeServer;
let store: RecordingStore;
let queue: UploadQueue;
let uploads: Uint8Array[];
let api: Api;
let dictation: Dictation;
let states: DictationState[];

beforeEach(async () => {
  online = true;
  mic = new FakeMic();
  server = new FakeServer();
  store = new RecordingStore(await openDb(new IDBFactory()));
  uploads = [];
  api = createApi({ fetch: async () => new Response("{}", { status: 201 }) });
  api.createAudioAsk = async (wav) => {
    uploads.push(new Uint8Array(await wav.arrayBuffer()));
    return { id: "ask-up", status: "draft", card: {} };
  };
  queue = new UploadQueue({ store, upload: (wav, key) => api.createAudioAsk(wav, key), isOnline: () => online });
  dictation = new Dictation({
    api,
    startCapture: mic.start,
    openSocket: server.openSocket,
    liveUrl: "ws://test/api/v1/live",
    store,
    queue,
    isOnline: () => online,
  });
  states = [];
  dictation.subscribe((s) => states.push(s));
});

describe("dictation", () => {
  it("streams while speaking and shows the card after release", async () => {
    dictation.press();
    await until(() => dictation.current.stage === "recording");
    const conn = server.last;
    conn.open();
    conn.reply({ type: "ready", recording_id: "rec-1", received_ms: 0 });
    mic.speak(frame(0), frame(1));
    conn.reply({ type: "partial", committed: "We need", tentative: "a forklift" });
    expect(dictation.current).toMatchObject({ committed: "We need", tentative: "a forklift", link: "live" });
    await until(async () => (await store.readAudio((await store.list())[0]?.id ?? "")).length === 6400);

    mic.tail = frame(2, 640);
    dictation.release();
    await until(() => conn.kinds.at(-1) === "stop");
    expect(conn.audio).toEqual(concat([frame(0), frame(1), frame(2, 640)]));
    expect(mic.stopped).toBe(true);

    conn.reply({ type: "transcript", recording_id: "rec-1", text: "We need a forklift.", duration_ms: 220 });
    conn.reply({ type: "summary_delta", text: "Needs " });
    conn.reply({ type: "summary_delta", text: "a forklift." });
    expect(dictation.current).toMatchObject({ stage: "writing", transcript: "We need a forklift.", summaryDraft: "Needs a forklift." });
    conn.reply({ type: "card", ask_id: "ask-1", title: "Forklift", summary: "Needs a forklift.", help_needed: "Who lends one?", tags: ["ops"] });
    conn.reply({ type: "done" });
    expect(dictation.current).toMatchObject({ stage: "review", askId: "ask-1", card: { title: "Forklift" } });

    // The server has everything: the phone's copy is gone.
    await until(async () => (await store.list()).length === 0);
  });

  it("queues a recording made fully offline and uploads it when the network returns", async () => {
    online = false;
    dictation.press();
    await until(() => dictation.current.stage === "recording");
    expect(server.connections).toHaveLength(0);
    expect(dictation.current.link).toBe("lost");
    mic.speak(frame(0), frame(1), frame(2));
    dictation.release();
    await until(() => dictation.current.stage === "queued");
    expect(dictation.current.message).toMatch(/uploaded automatically/);
    expect((await queue.status()).waiting).toBe(1);
    expect(uploads).toHaveLength(0);

    online = true;
    await queue.flush();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.subarray(44)).toEqual(concat([frame(0), frame(1), frame(2)]));
    expect((await queue.status()).waiting).toBe(0);
  });

  it("keeps recording when the server is busy and queues the audio on release", async () => {
    dictation.press();
    await until(() => dictation.current.stage === "recording");
    server.last.open();
    server.last.reply({ type: "error", code: "busy", message: "At capacity" });
    expect(dictation.current.stage).toBe("recording");
    expect(dictation.current.message).toMatch(/busy/);
    mic.speak(frame(0), frame(1));
    online = false; // so the queue does not upload at once
    dictation.release();
    await until(() => dictation.current.stage === "queued");
    expect((await queue.status()).waiting).toBe(1);
    expect(await store.readAudio((await store.list())[0]?.id ?? "")).toEqual(concat([frame(0), frame(1)]));
  });

  it("says plainly when the microphone is blocked", async () => {
    mic.fail = new CaptureError("mic_denied");
    dictation.press();
    await until(() => dictation.current.stage === "error");
    expect(dictation.current.message).toMatch(/microphone is blocked/i);
    expect(server.connections).toHaveLength(0);
  });

  it("resumes a dictation whose connection dropped, after release, once the network is back", async () => {
    dictation.press();
    await until(() => dictation.current.stage === "recording");
    const first = server.last;
    first.open();
    first.reply({ type: "ready", recording_id: "rec-2", received_ms: 0 });
    mic.speak(frame(0), frame(1));
    online = false;
    dictation.networkLost();
    expect(dictation.current.link).toBe("lost");
    mic.speak(frame(2));
    dictation.release();
    await until(() => dictation.current.stage === "sending" && mic.stopped);
    expect(server.connections).toHaveLength(1);

    online = true;
    dictation.networkBack();
    const second = server.last;
    second.open();
    expect(second.messages[0]).toMatchObject({ resume: "rec-2" });
    second.reply({ type: "ready", recording_id: "rec-2", received_ms: 200 });
    expect(second.audio).toEqual(frame(2));
    expect(second.kinds.at(-1)).toBe("stop");
    second.reply({ type: "transcript", recording_id: "rec-2", text: "t", duration_ms: 300 });
    expect(dictation.current.stage).toBe("writing");
  });
});
