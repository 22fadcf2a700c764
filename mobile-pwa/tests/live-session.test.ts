import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AudioLog } from "../src/live/audio-log";
import { parseServerMessage } from "../src/live/protocol";
import { LiveSession, type LiveEvents, type LiveSessionOptions } from "../src/live/session";
import { FakeServer, concat, frame } from "./fake-socket";

const URL = "ws://test/api/v1/live";

function setup(overrides: Partial<LiveSessionOptions> = {}) {
  const server = new FakeServer();
  const log = new AudioLog();
  const seen: string[] = [];
  const events: LiveEvents = {
    phase: (p) => seen.push(`phase:${p}`),
    ready: (id, ms) => seen.push(`ready:${id}:${ms}`),
    partial: (c, t) => seen.push(`partial:${c}|${t}`),
    transcript: (text, ms) => seen.push(`transcript:${text}:${ms}`),
    summaryDelta: (text) => seen.push(`delta:${text}`),
    card: (askId, card) => seen.push(`card:${askId}:${card.title}:${card.tags.join(",")}`),
    done: () => seen.push("done"),
    error: (code, message) => seen.push(`error:${code}:${message}`),
  };
  const session = new LiveSession({ url: URL, openSocket: server.openSocket, audio: log, purpose: { purpose: "ask" }, events, ...overrides });
  /** The microphone delivers a frame. */
  const speak = (...frames: Uint8Array[]) => {
    for (const f of frames) {
      log.append(f);
      session.pump();
    }
  };
  return { server, log, seen, session, speak };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("live session, the whole ask", () => {
  it("runs start → ready → frames → partial → stop → transcript → summary_delta → card → done", () => {
    const { server, seen, session, speak, log } = setup();
    session.start();
    const conn = server.last;
    expect(conn.url).toBe(URL);
    conn.open();
    expect(conn.messages).toEqual([{ type: "start", purpose: "ask", sample_rate: 16000 }]);

    conn.reply({ type: "ready", recording_id: "rec-1", received_ms: 0 });
    expect(session.phase).toBe("streaming");
    expect(session.recordingId).toBe("rec-1");

    speak(frame(0), frame(1), frame(2));
    expect(conn.frames.map((f) => f.length)).toEqual([3200, 3200, 3200]);
    conn.reply({ type: "partial", committed: "The supplier", tentative: "is late" });

    speak(frame(3, 1000)); // the short last frame after release
    session.stop();
    expect(session.phase).toBe("stopping");
    expect(conn.kinds).toEqual(["start", "bin", "bin", "bin", "bin", "stop"]);
    expect(conn.audio).toEqual(log.read(0));

    conn.reply({ type: "transcript", recording_id: "rec-1", text: "The supplier is late.", duration_ms: 331 });
    expect(session.phase).toBe("summarizing");
    expect(session.serverHasAll).toBe(true);
    conn.reply({ type: "summary_delta", text: "Supplier " });
    conn.reply({ type: "summary_delta", text: "delays." });
    conn.reply({ type: "card", ask_id: "ask-9", title: "Late supplier", summary: "Supplier delays.", help_needed: "Who knows them?", tags: ["supply", "ops"] });
    conn.reply({ type: "done" });

    expect(session.phase).toBe("done");
    expect(conn.closedByClient).toBe(true);
    expect(seen).toEqual([
      "phase:streaming",
      "ready:rec-1:0",
      "partial:The supplier|is late",
      "phase:stopping",
      "phase:summarizing",
      "transcript:The supplier is late.:331",
      "delta:Supplier ",
      "delta:delays.",
      "card:ask-9:Late supplier:supply,ops",
      "phase:done",
      "done",
    ]);
  });

  it("keeps audio captured before `ready` and sends it once the server is ready", () => {
    const { server, session, speak, log } = setup();
    session.start();
    speak(frame(0), frame(1)); // socket still opening
    server.last.open();
    speak(frame(2));
    expect(server.last.frames).toHaveLength(0); // nothing before ready
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    expect(server.last.audio).toEqual(log.read(0));
  });

  it("sends `stop` only after `ready` when released while still connecting", () => {
    const { server, session, speak } = setup();
    session.start();
    speak(frame(0));
    session.stop();
    server.last.open();
    expect(server.last.kinds).toEqual(["start"]);
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    expect(server.last.kinds).toEqual(["start", "bin", "stop"]);
    expect(session.phase).toBe("stopping");
  });

  it("sends answers with their ask id", () => {
    const { server, session } = setup({ purpose: { purpose: "answer", ask_id: "ask-3" } });
    session.start();
    server.last.open();
    expect(server.last.messages[0]).toEqual({ type: "start", purpose: "answer", ask_id: "ask-3", sample_rate: 16000 });
  });
});

describe("live session, errors", () => {
  it("stops on a server error, says why, and does not reconnect", () => {
    const { server, session, seen, speak } = setup();
    session.start();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    speak(frame(0));
    server.last.reply({ type: "error", code: "busy", message: "Transcription is at capacity." });
    expect(session.phase).toBe("failed");
    expect(session.error).toEqual({ code: "busy", message: "Transcription is at capacity." });
    expect(seen.at(-1)).toBe("error:busy:Transcription is at capacity.");
    expect(server.last.closedByClient).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it("ignores messages it does not understand", () => {
    expect(parseServerMessage("not json")).toBeNull();
    expect(parseServerMessage('{"type":"telemetry","x":1}')).toBeNull();
    expect(parseServerMessage("[1,2]")).toBeNull();
    expect(parseServerMessage('{"type":"ready","recording_id":"a","received_ms":12.7}')).toEqual({ type: "ready", recording_id: "a", received_ms: 12 });
    expect(parseServerMessage('{"type":"error"}')).toEqual({ type: "error", code: "internal", message: "" });
  });

  it("reads a partial's audio position when the server sends one", () => {
    const partial = { type: "partial", committed: "We need", tentative: "a forklift" };
    expect(parseServerMessage(JSON.stringify({ ...partial, audio_ms: 2000 }))).toEqual({ ...partial, audio_ms: 2000 });
    expect(parseServerMessage(JSON.stringify(partial))).not.toHaveProperty("audio_ms");
  });

  it("gives up after repeated failed connections while online", () => {
    const { server, session, seen } = setup({ maxAttempts: 3, retryDelaysMs: [100] });
    session.start();
    for (let i = 0; i < 4; i++) {
      server.last.drop(); // refused before opening
      vi.advanceTimersByTime(100);
    }
    expect(server.connections).toHaveLength(4);
    expect(session.phase).toBe("failed");
    expect(seen.at(-1)).toBe("error:network:Could not reach the server.");
  });

  it("treats a socket that opens but never answers `start` as dropped", () => {
    const { server, session } = setup({ readyTimeoutMs: 2000, retryDelaysMs: [500] });
    session.start();
    server.last.open();
    vi.advanceTimersByTime(2000);
    expect(server.connections[0]?.closedByClient).toBe(true);
    expect(session.phase).toBe("reconnecting");
    vi.advanceTimersByTime(500);
    expect(server.connections).toHaveLength(2);
  });

  it("fails without resuming when the link drops after the transcript (the server has it all)", () => {
    const { server, session, seen } = setup();
    session.start();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    session.stop();
    server.last.reply({ type: "transcript", recording_id: "r", text: "x", duration_ms: 100 });
    server.last.drop();
    expect(session.phase).toBe("failed");
    expect(seen.at(-1)).toMatch(/^error:connection_lost:/);
    vi.advanceTimersByTime(60_000);
    expect(server.connections).toHaveLength(1);
  });
});

describe("live session, dropped connections", () => {
  it("resumes after a drop and resends exactly the bytes after received_ms", () => {
    const { server, session, speak, log } = setup({ retryDelaysMs: [500] });
    session.start();
    const first = server.last;
    first.open();
    first.reply({ type: "ready", recording_id: "rec-7", received_ms: 0 });
    speak(...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => frame(n)));
    // The server stored 600 ms; the last 400 ms were still in flight when the link died.
    const storedByServer = first.audio.slice(0, 600 * 32);
    first.drop();
    expect(session.phase).toBe("reconnecting");

    // Recording goes on while disconnected.
    speak(frame(10), frame(11), frame(12));
    expect(server.connections).toHaveLength(1);
    vi.advanceTimersByTime(500);
    const second = server.last;
    expect(second).not.toBe(first);
    second.open();
    expect(second.messages[0]).toEqual({ type: "start", purpose: "ask", sample_rate: 16000, resume: "rec-7" });
    second.reply({ type: "ready", recording_id: "rec-7", received_ms: 600 });
    expect(session.phase).toBe("streaming");

    speak(frame(13));
    session.stop();
    expect(second.kinds.at(-1)).toBe("stop");

    // Nothing lost, nothing twice: what the server stored plus what it got after resuming is
    // the recording, byte for byte.
    const serverCopy = concat([storedByServer, second.audio]);
    expect(serverCopy.length).toBe(log.length);
    expect(serverCopy).toEqual(log.read(0));
    expect(second.audio.length).toBe(log.length - 600 * 32);
  });

  it("resumes from an offset inside a frame", () => {
    const { server, session, speak, log } = setup({ retryDelaysMs: [10] });
    session.start();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    speak(frame(0), frame(1), frame(2));
    const stored = server.last.audio.slice(0, 150 * 32); // 150 ms: mid second frame
    server.last.drop();
    vi.advanceTimersByTime(10);
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 150 });
    expect(concat([stored, server.last.audio])).toEqual(log.read(0));
    // Resent in frame-sized pieces, starting at the offset.
    expect(server.last.frames.map((f) => f.length)).toEqual([3200, 1600]);
  });

  it("survives several drops in a row, each resumed from what the server kept", () => {
    const { server, session, speak, log } = setup({ retryDelaysMs: [10] });
    session.start();
    const kept: Uint8Array[] = [];
    let keptMs = 0;
    for (let round = 0; round < 4; round++) {
      const conn = server.last;
      conn.open();
      conn.reply({ type: "ready", recording_id: "r", received_ms: keptMs });
      speak(frame(round * 2), frame(round * 2 + 1));
      // The server keeps all but the last 100 ms of what reached it this time.
      const got = conn.audio;
      const keep = got.slice(0, Math.max(0, got.length - 3200));
      kept.push(keep);
      keptMs += keep.length / 32;
      conn.drop();
      vi.advanceTimersByTime(10);
    }
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: keptMs });
    session.stop();
    expect(concat([...kept, server.last.audio])).toEqual(log.read(0));
    expect(server.last.kinds.at(-1)).toBe("stop");
  });

  it("waits for the network instead of retrying while the device is offline", () => {
    let online = true;
    const { server, session, speak, log } = setup({ isOnline: () => online, retryDelaysMs: [100] });
    session.start();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    speak(frame(0));
    online = false;
    session.networkLost(); // the browser's `offline` event
    expect(server.last.closedByClient).toBe(true);
    speak(frame(1), frame(2));
    session.stop(); // released while offline
    vi.advanceTimersByTime(60_000);
    expect(server.connections).toHaveLength(1);
    expect(session.phase).toBe("reconnecting");

    online = true;
    session.networkBack();
    expect(server.connections).toHaveLength(2);
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 100 });
    expect(server.last.kinds).toEqual(["start", "bin", "bin", "stop"]);
    expect(concat([log.read(0, 3200), server.last.audio])).toEqual(log.read(0));
    expect(session.phase).toBe("stopping");
  });

  it("resends the missing tail and `stop` when the link drops after `stop`, before the transcript", () => {
    let online = true;
    const { server, session, speak, log } = setup({ isOnline: () => online, retryDelaysMs: [50] });
    session.start();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    speak(frame(0), frame(1), frame(2));
    session.stop();
    expect(session.phase).toBe("stopping");
    online = false;
    server.last.drop(); // `stop` and the last frame never arrived
    expect(session.phase).toBe("reconnecting");
    expect(session.stopRequested).toBe(true);
    online = true;
    session.networkBack();
    server.last.open();
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 200 });
    expect(server.last.kinds).toEqual(["start", "bin", "stop"]);
    expect(server.last.audio).toEqual(log.read(6400));
    expect(session.phase).toBe("stopping");
  });

  it("starts fresh (no resume) when the first connection never got `ready`", () => {
    const { server, session, speak, log } = setup({ retryDelaysMs: [10] });
    session.start();
    speak(frame(0));
    server.last.drop();
    speak(frame(1));
    vi.advanceTimersByTime(10);
    server.last.open();
    expect(server.last.messages[0]).not.toHaveProperty("resume");
    server.last.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    expect(server.last.audio).toEqual(log.read(0));
  });

  it("drops a stalled socket whose send buffer keeps growing, then resumes", () => {
    const { server, session, speak } = setup({ retryDelaysMs: [10], stallBytes: 10_000 });
    session.start();
    const conn = server.last;
    conn.open();
    conn.reply({ type: "ready", recording_id: "r", received_ms: 0 });
    conn.bufferedAmount = 12_000; // nothing leaves the phone
    speak(frame(0));
    expect(conn.closedByClient).toBe(true);
    expect(session.phase).toBe("reconnecting");
    vi.advanceTimersByTime(10);
    expect(server.connections).toHaveLength(2);
  });

  it("ignores events from a socket it has already replaced", () => {
    const { server, session, seen } = setup({ readyTimeoutMs: 100, retryDelaysMs: [10] });
    session.start();
    const stale = server.last;
    vi.advanceTimersByTime(110); // ready timeout: the first socket is abandoned
    stale.reply({ type: "ready", recording_id: "old", received_ms: 0 });
    expect(session.recordingId).toBeNull();
    expect(seen).not.toContain("ready:old:0");
  });

  it("cancel closes the socket and stops everything", () => {
    const { server, session } = setup();
    session.start();
    server.last.open();
    session.cancel();
    expect(session.phase).toBe("cancelled");
    expect(server.last.closedByClient).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(server.connections).toHaveLength(1);
  });
});
