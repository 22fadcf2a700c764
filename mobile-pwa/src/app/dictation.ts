// One dictation from press to card: wires the microphone, the on-phone copy of the audio, the
// live session and the upload queue, and turns what happens into one state the talk screen
// renders. It decides the fallbacks: whatever goes wrong after the first frame, the audio is
// kept and ends up either streamed or queued for upload, never dropped.

import { ApiError, type Api } from "../api/client";
import { CaptureError, type Capture, type CaptureCallbacks } from "../audio/capture";
import { TARGET_RATE } from "../audio/pcm";
import { encodeWav } from "../audio/wav";
import { AudioLog } from "../live/audio-log";
import type { Card } from "../live/protocol";
import { LiveSession, type OpenSocket } from "../live/session";
import type { UploadQueue } from "../offline/queue";
import type { RecordingStore } from "../offline/store";
import { messageFor } from "../ui/messages";

export type DictationStage =
  | "idle"
  | "starting" // asking for the microphone
  | "recording"
  | "sending" // released; last audio and `stop` going out (maybe waiting for the network)
  | "writing" // transcript in, card streaming
  | "review" // card ready to edit and send
  | "queued" // kept on the phone for upload later
  | "error";

export interface DictationState {
  stage: DictationStage;
  /** The server connection as the speaker should understand it. */
  link: "connecting" | "live" | "lost";
  level: number;
  committed: string;
  tentative: string;
  transcript: string;
  summaryDraft: string;
  askId: string | null;
  card: Card | null;
  /** Plain-language problem or notice, if any. */
  message: string | null;
}

export interface DictationDeps {
  api: Api;
  startCapture(callbacks: CaptureCallbacks): Promise<Capture>;
  openSocket: OpenSocket;
  liveUrl: string;
  /** Null when IndexedDB is unavailable (some private modes): streaming still works, but a
   * recording that cannot be streamed is uploaded straight from memory or lost. */
  store: RecordingStore | null;
  queue: UploadQueue | null;
  isOnline(): boolean;
  /** Longest dictation; the button releases itself after it. */
  maxMs?: number;
}

const initial: DictationState = {
  stage: "idle",
  link: "connecting",
  level: 0,
  committed: "",
  tentative: "",
  transcript: "",
  summaryDraft: "",
  askId: null,
  card: null,
  message: null,
};

export class Dictation {
  private state: DictationState = { ...initial };
  private readonly listeners = new Set<(s: DictationState) => void>();
  private capture: Capture | null = null;
  private session: LiveSession | null = null;
  private log = new AudioLog();
  private localId = "";
  private seq = 0;
  /** Chunk writes in flight; awaited before a recording is handed to the queue. */
  private writes: Promise<void> = Promise.resolve();
  private releaseWanted = false;
  private limitTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: DictationDeps) {}

  get current(): DictationState {
    return this.state;
  }

  subscribe(listener: (s: DictationState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Press: start the microphone and the live session. Call it synchronously from the input
   * event (see startCapture). */
  press(): void {
    if (this.state.stage !== "idle" && this.state.stage !== "error" && this.state.stage !== "queued") return;
    this.reset();
    this.set({ stage: "starting", link: this.deps.isOnline() ? "connecting" : "lost" });
    const capturing = this.deps.startCapture({
      onFrame: (pcm) => this.onFrame(pcm),
      onLevel: (level) => this.set({ level }),
    });
    capturing.then(
      (capture) => this.onCaptureStarted(capture),
      (err: unknown) => {
        const code = err instanceof CaptureError ? err.code : "mic_failed";
        this.set({ stage: "error", message: messageFor(code) });
      },
    );
  }

  /** Release: finish the recording and send it (or queue it). */
  release(): void {
    if (this.state.stage === "starting") {
      this.releaseWanted = true; // the microphone is still opening; stop as soon as it is
      return;
    }
    if (this.state.stage !== "recording" || !this.capture) return;
    void this.finish();
  }

  /** While waiting for the network after release: stop waiting and leave it in the queue. */
  async sendLater(): Promise<void> {
    if (this.state.stage !== "sending" || !this.session) return;
    this.session.cancel();
    await this.toQueue(null);
  }

  networkBack(): void {
    this.session?.networkBack();
    if (this.session?.phase === "reconnecting") this.set({ link: "connecting" });
  }

  networkLost(): void {
    this.session?.networkLost();
  }

  /** Shows a card made another way (typed ask) in the same review screen. */
  review(askId: string, card: Card, text: string): void {
    this.reset();
    this.set({ ...initial, stage: "review", askId, card, transcript: text });
  }

  /** Leaves the card screen (after sending or discarding). */
  dismiss(): void {
    this.reset();
    this.set({ ...initial });
  }

  private onCaptureStarted(capture: Capture): void {
    this.capture = capture;
    this.localId = newId();
    const store = this.deps.store;
    if (store) {
      this.persist(() =>
        store.create({ id: this.localId, createdAt: Date.now(), sampleRate: TARGET_RATE, state: "recording", serverRecordingId: null }),
      );
    }
    this.session = new LiveSession({
      url: this.deps.liveUrl,
      openSocket: this.deps.openSocket,
      audio: this.log,
      purpose: { purpose: "ask" },
      isOnline: this.deps.isOnline,
      events: {
        phase: (phase) => {
          if (phase === "streaming" || phase === "stopping") this.set({ link: "live" });
          if (phase === "reconnecting") this.set({ link: "lost" });
        },
        ready: (recordingId) => {
          this.set({ link: "live" });
          if (store) this.persist(() => store.update(this.localId, { serverRecordingId: recordingId }));
        },
        partial: (committed, tentative) => this.set({ committed, tentative }),
        transcript: (text) => {
          // From here the server holds every byte: the phone's copy can go.
          this.dropLocalCopy();
          this.set({ stage: "writing", transcript: text, committed: text, tentative: "" });
        },
        summaryDelta: (text) => this.set({ summaryDraft: this.state.summaryDraft + text }),
        card: (askId, card) => this.set({ stage: "review", askId, card }),
        done: () => {
          // A server that could not write the card still keeps the ask as a draft.
          if (this.state.stage !== "review") this.set({ stage: "error", message: messageFor("no_card") });
        },
        error: (code, message) => void this.onSessionError(code, message),
      },
    });
    this.session.start();
    this.set({ stage: "recording" });
    this.limitTimer = setTimeout(() => this.release(), this.deps.maxMs ?? 5 * 60_000);
    if (this.releaseWanted) this.release();
  }

  private onFrame(pcm: Uint8Array): void {
    this.log.append(pcm);
    const store = this.deps.store;
    if (store) {
      const seq = this.seq++;
      this.persist(() => store.appendChunk(this.localId, seq, pcm));
    }
    this.session?.pump();
  }

  private async finish(): Promise<void> {
    const capture = this.capture;
    const session = this.session;
    if (!capture || !session) return;
    this.clearLimit();
    this.set({ stage: "sending", level: 0 });
    await capture.stop(); // delivers the last short frame before we say `stop`
    this.capture = null;
    if (session.phase === "failed" || session.phase === "cancelled") {
      await this.toQueue(session.error?.code ?? null);
    } else if (!session.recordingId && !this.deps.isOnline()) {
      // Never reached the server and no network now: a plain upload later is simpler than
      // keeping a live session waiting.
      session.cancel();
      await this.toQueue(null);
    } else {
      session.stop();
    }
  }

  private async onSessionError(code: string, message: string): Promise<void> {
    const stage = this.state.stage;
    if (stage === "recording" || stage === "starting") {
      // Keep recording on the phone; release queues it.
      this.set({ link: "lost", message: messageFor(code, message) });
      return;
    }
    if (stage === "sending" && this.capture) return; // finish() will queue it
    if (this.session?.serverHasAll || this.state.transcript) {
      this.set({ stage: "error", message: messageFor(code === "network" ? "connection_lost" : code, message) });
      return;
    }
    await this.toQueue(code);
  }

  /** Keeps the recording for upload later and says so. */
  private async toQueue(reason: string | null): Promise<void> {
    this.clearLimit();
    if (this.log.length === 0) {
      this.dropLocalCopy();
      this.set({ stage: "error", message: messageFor(reason ?? "network") });
      return;
    }
    await this.writes;
    const { store, queue } = this.deps;
    let saved = false;
    if (store && queue) {
      try {
        await queue.enqueue(this.localId);
        saved = true;
      } catch {
        saved = false;
      }
    }
    if (!saved) {
      // No storage: one direct try from memory.
      try {
        await this.deps.api.createAudioAsk(new Blob([encodeWav(this.log.read(0), TARGET_RATE)], { type: "audio/wav" }), this.localId);
        this.set({ stage: "idle", message: "Your recording was uploaded. Its card will appear in My asks." });
      } catch (err) {
        const code = err instanceof ApiError ? err.code : "network";
        this.set({ stage: "error", message: `${messageFor(code)} This recording could not be saved on this phone.` });
      }
      return;
    }
    const why = reason === "busy" ? "coagent is busy" : "there is no connection to coagent";
    this.set({
      stage: "queued",
      link: this.deps.isOnline() ? this.state.link : "lost",
      message: `Saved on this phone: ${why}. It will be uploaded automatically; its card will then appear in My asks.`,
    });
    if (this.deps.isOnline()) void queue?.flush();
  }

  private persist(write: () => Promise<void>): void {
    // Sequential so `writes` resolves only when every chunk so far is stored. A failed write
    // (quota, private mode) is not fatal: the audio is still in memory and streaming.
    this.writes = this.writes.then(write).catch(() => {});
  }

  private dropLocalCopy(): void {
    const { store } = this.deps;
    const id = this.localId;
    if (store && id) this.persist(() => store.remove(id));
  }

  private reset(): void {
    this.clearLimit();
    this.session?.cancel();
    this.session = null;
    void this.capture?.stop();
    this.capture = null;
    this.log = new AudioLog();
    this.seq = 0;
    this.localId = "";
    this.releaseWanted = false;
  }

  private clearLimit(): void {
    if (this.limitTimer !== null) clearTimeout(this.limitTimer);
    this.limitTimer = null;
  }

  private set(patch: Partial<DictationState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

function newId(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
