// One dictation over `GET /api/v1/live`, as a state machine that survives dropped connections.
//
// Every captured byte goes into an AudioLog first (the caller appends, then calls pump()) and is
// sent from there, never straight from the microphone. That single rule gives resumption for free: after a reconnect the server's
// `ready` says how much it kept (`received_ms`), and sending simply restarts at that offset, so
// nothing is lost and nothing is sent twice. The socket is injected, so tests drive the whole
// protocol against a fake server.

import { bytesPerMs, frameBytesFor, TARGET_RATE } from "../audio/pcm";
import type { AudioLog } from "./audio-log";
import { parseServerMessage, type Card, type ClientMessage, type ServerMessage, type StartMessage } from "./protocol";

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string | ArrayBuffer): void;
  /** Called once, whether the socket closed cleanly, failed to open, or errored. */
  onClose(): void;
}

export interface SocketLike {
  send(data: string | Uint8Array): void;
  close(): void;
  /** Bytes queued but not yet on the wire; grows when the network silently stalls. */
  readonly bufferedAmount: number;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketLike;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export type LivePhase =
  | "connecting" // first socket opening, waiting for `ready`
  | "streaming" // audio flows live
  | "reconnecting" // connection lost; audio keeps collecting in the log (stopRequested tells
  //                  whether the speaker is done)
  | "stopping" // `stop` sent, waiting for the transcript
  | "summarizing" // transcript in, card being written
  | "done"
  | "failed"
  | "cancelled";

export interface LiveEvents {
  phase?(phase: LivePhase): void;
  ready?(recordingId: string, receivedMs: number): void;
  partial?(committed: string, tentative: string): void;
  transcript?(text: string, durationMs: number): void;
  summaryDelta?(text: string): void;
  card?(askId: string, card: Card): void;
  answer?(answerId: string): void;
  done?(): void;
  error?(code: string, message: string): void;
}

export interface LiveSessionOptions {
  url: string;
  openSocket: OpenSocket;
  audio: AudioLog;
  purpose: { purpose: "ask" } | { purpose: "answer"; ask_id: string };
  events: LiveEvents;
  /** A recording the server already holds part of (after an app restart, say). */
  resumeId?: string | null;
  sampleRate?: number;
  isOnline?: () => boolean;
  timers?: Timers;
  /** Wait before each reconnect attempt; the last value repeats. */
  retryDelaysMs?: readonly number[];
  /** Consecutive failed attempts, while the device says it is online, before giving up. */
  maxAttempts?: number;
  /** How long an open socket may take to answer `start` with `ready`. */
  readyTimeoutMs?: number;
  /** Unsent bytes that mean the network has silently stalled (default: 5 s of audio). */
  stallBytes?: number;
}

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LiveSession {
  private phaseNow: LivePhase = "connecting";
  private socket: SocketLike | null = null;
  /** `ready` seen on the current socket: only then may audio be sent on it. */
  private socketReady = false;
  /** Offset in the audio log up to which the current socket has been sent bytes. */
  private sentBytes = 0;
  private stopSentOnSocket = false;
  private wantStop = false;
  private transcriptIn = false;
  private recId: string | null;
  private attempts = 0;
  private timer: unknown = null;
  private errorNow: { code: string; message: string } | null = null;

  private readonly bytesPerMs: number;
  private readonly frameBytes: number;
  private readonly timers: Timers;
  private readonly isOnline: () => boolean;
  private readonly retryDelaysMs: readonly number[];
  private readonly maxAttempts: number;
  private readonly readyTimeoutMs: number;
  private readonly stallBytes: number;
  private readonly sampleRate: number;

  constructor(private readonly opts: LiveSessionOptions) {
    this.sampleRate = opts.sampleRate ?? TARGET_RATE;
    this.bytesPerMs = bytesPerMs(this.sampleRate);
    this.frameBytes = frameBytesFor(this.sampleRate);
    this.recId = opts.resumeId ?? null;
    this.timers = opts.timers ?? defaultTimers;
    this.isOnline = opts.isOnline ?? (() => true);
    this.retryDelaysMs = opts.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 10_000;
    this.stallBytes = opts.stallBytes ?? 5000 * this.bytesPerMs;
  }

  get phase(): LivePhase {
    return this.phaseNow;
  }
  /** Known once the server has answered `start`; what a later `resume` names. */
  get recordingId(): string | null {
    return this.recId;
  }
  get stopRequested(): boolean {
    return this.wantStop;
  }
  /** The server has the whole recording once it has sent the final transcript. */
  get serverHasAll(): boolean {
    return this.transcriptIn;
  }
  get error(): { code: string; message: string } | null {
    return this.errorNow;
  }

  start(): void {
    if (this.isOnline()) this.connect();
    else this.setPhase("reconnecting"); // wait for networkBack()
  }

  /** The speaker is done: send what is left, then `stop`. Reconnects first if need be. */
  stop(): void {
    if (this.isTerminal() || this.wantStop) return;
    this.wantStop = true;
    if (this.phaseNow === "streaming") this.setPhase("stopping");
    this.pump();
  }

  cancel(): void {
    if (this.isTerminal()) return;
    this.setPhase("cancelled");
    this.teardown();
  }

  /** The browser says the network is back: retry now instead of waiting out the backoff. */
  networkBack(): void {
    if (this.socket || this.isTerminal()) return;
    this.clearTimer();
    this.attempts = 0;
    this.connect();
  }

  /** The browser says the network is gone: the socket may not notice for minutes, so drop it
   * now and collect audio locally until networkBack(). */
  networkLost(): void {
    if (this.socket && !this.isTerminal()) this.dropSocket();
  }

  private connect(): void {
    this.clearTimer();
    this.socketReady = false;
    this.sentBytes = 0;
    this.stopSentOnSocket = false;
    const socket = this.opts.openSocket(this.opts.url, {
      onOpen: () => socket === this.socket && this.onOpen(),
      onMessage: (data) => socket === this.socket && this.onMessage(data),
      onClose: () => socket === this.socket && this.onClose(),
    });
    this.socket = socket;
    this.timer = this.timers.set(() => {
      // Opened but never answered, or never opened: treat as a drop.
      if (socket === this.socket && !this.socketReady) this.dropSocket();
    }, this.readyTimeoutMs);
  }

  private onOpen(): void {
    const start: StartMessage = { type: "start", ...this.opts.purpose, sample_rate: this.sampleRate };
    if (this.recId) start.resume = this.recId;
    this.send(JSON.stringify(start));
  }

  private onMessage(data: string | ArrayBuffer): void {
    if (typeof data !== "string") return; // the server sends no binary frames
    const msg = parseServerMessage(data);
    if (msg) this.handle(msg);
  }

  private handle(msg: ServerMessage): void {
    const ev = this.opts.events;
    switch (msg.type) {
      case "ready": {
        this.clearTimer();
        this.recId = msg.recording_id || this.recId;
        this.socketReady = true;
        this.attempts = 0;
        // Byte offset of what the server kept; the server counts whole milliseconds of the
        // bytes it stored, so this lands exactly where its copy ends.
        this.sentBytes = Math.min(msg.received_ms * this.bytesPerMs, this.opts.audio.length);
        this.setPhase(this.wantStop ? "stopping" : "streaming");
        ev.ready?.(this.recId ?? "", msg.received_ms);
        this.pump();
        return;
      }
      case "partial":
        ev.partial?.(msg.committed, msg.tentative);
        return;
      case "transcript":
        this.transcriptIn = true;
        this.setPhase("summarizing");
        ev.transcript?.(msg.text, msg.duration_ms);
        return;
      case "summary_delta":
        ev.summaryDelta?.(msg.text);
        return;
      case "card": {
        const { ask_id, title, summary, help_needed, tags } = msg;
        ev.card?.(ask_id, { title, summary, help_needed, tags });
        return;
      }
      case "answer":
        ev.answer?.(msg.answer_id);
        return;
      case "done":
        this.setPhase("done");
        this.teardown();
        ev.done?.();
        return;
      case "error":
        this.fail(msg.code, msg.message);
        return;
    }
  }

  private onClose(): void {
    this.socket = null;
    this.socketReady = false;
    this.clearTimer();
    if (this.isTerminal()) return;
    if (this.transcriptIn) {
      // The server has all the audio and is writing the card; resuming would not bring that
      // stream back, and the ask will be in the asks list.
      this.fail("connection_lost", "The connection dropped while your card was being written.");
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    // Even after `stop`: the server may not have had the end of the audio, so the resumed
    // connection sends it again from `received_ms`, then `stop` again.
    this.setPhase("reconnecting");
    if (!this.isOnline()) return; // networkBack() resumes
    this.attempts++;
    if (this.attempts > this.maxAttempts) {
      this.fail("network", "Could not reach the server.");
      return;
    }
    const delays = this.retryDelaysMs;
    const delay = delays[Math.min(this.attempts - 1, delays.length - 1)] ?? 1000;
    this.timer = this.timers.set(() => this.connect(), delay);
  }

  /** Sends every byte of the log the server is missing, then `stop` if the speaker is done.
   * Call it after appending to the log; it is a no-op while disconnected. */
  pump(): void {
    const socket = this.socket;
    if (!socket || !this.socketReady || this.stopSentOnSocket) return;
    const audio = this.opts.audio;
    while (this.sentBytes < audio.length) {
      const chunk = audio.read(this.sentBytes, this.sentBytes + this.frameBytes);
      socket.send(chunk);
      this.sentBytes += chunk.length;
    }
    if (this.wantStop) {
      this.send(JSON.stringify({ type: "stop" } satisfies ClientMessage));
      this.stopSentOnSocket = true;
    } else if (socket.bufferedAmount > this.stallBytes) {
      // Seconds of audio stuck in the send buffer: the link is dead even if the socket is
      // not closed yet. Reconnecting asks the server what it really has.
      this.dropSocket();
    }
  }

  private send(text: string): void {
    this.socket?.send(text);
  }

  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null; // its late onClose is ignored
    socket.close();
    this.onClose();
  }

  private fail(code: string, message: string): void {
    this.errorNow = { code, message };
    this.setPhase("failed");
    this.teardown();
    this.opts.events.error?.(code, message);
  }

  private teardown(): void {
    this.clearTimer();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private isTerminal(): boolean {
    return this.phaseNow === "done" || this.phaseNow === "failed" || this.phaseNow === "cancelled";
  }

  private setPhase(phase: LivePhase): void {
    if (phase === this.phaseNow) return;
    this.phaseNow = phase;
    this.opts.events.phase?.(phase);
  }
}
