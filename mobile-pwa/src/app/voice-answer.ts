// One spoken answer to a request: the same microphone and live session as a dictation, with
// `{"purpose":"answer","ask_id"}`. After `stop` the server sends the transcript, then
// `{"type":"answer","answer_id"}`, then `done`. Simpler than Dictation on purpose: an answer is
// short and said while the request is on screen, so its audio stays in memory only. If the live
// session fails before the transcript, the recording is uploaded once as a WAV file to
// POST /asks/{id}/answers instead; if that fails too, the peer is asked to type it.

import { ApiError } from "../api/client";
import { CaptureError, type Capture, type CaptureCallbacks } from "../audio/capture";
import { TARGET_RATE } from "../audio/pcm";
import { encodeWav } from "../audio/wav";
import { AudioLog } from "../live/audio-log";
import { LiveSession, type OpenSocket } from "../live/session";
import { messageFor } from "../ui/messages";

export type VoiceStage = "idle" | "starting" | "recording" | "sending" | "sent" | "error";

export interface VoiceState {
  stage: VoiceStage;
  level: number;
  committed: string;
  tentative: string;
  transcript: string;
  answerId: string | null;
  message: string | null;
}

export interface VoiceAnswerDeps {
  askId: string;
  startCapture(callbacks: CaptureCallbacks): Promise<Capture>;
  openSocket: OpenSocket;
  liveUrl: string;
  isOnline(): boolean;
  /** The fallback upload: POST /asks/{id}/answers with the WAV → answer id. */
  upload(wav: Blob, key: string): Promise<string>;
  maxMs?: number;
}

const initial: VoiceState = { stage: "idle", level: 0, committed: "", tentative: "", transcript: "", answerId: null, message: null };

export class VoiceAnswer {
  private state: VoiceState = { ...initial };
  private readonly listeners = new Set<(s: VoiceState) => void>();
  private capture: Capture | null = null;
  private session: LiveSession | null = null;
  private log = new AudioLog();
  private releaseWanted = false;
  private limit: ReturnType<typeof setTimeout> | null = null;
  private key = "";

  constructor(private readonly deps: VoiceAnswerDeps) {}

  get current(): VoiceState {
    return this.state;
  }

  subscribe(listener: (s: VoiceState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  press(): void {
    if (this.state.stage !== "idle" && this.state.stage !== "error") return;
    this.reset();
    this.set({ ...initial, stage: "starting" });
    this.deps
      .startCapture({ onFrame: (pcm) => this.onFrame(pcm), onLevel: (level) => this.set({ level }) })
      .then(
        (capture) => this.started(capture),
        (err: unknown) => this.set({ stage: "error", message: messageFor(err instanceof CaptureError ? err.code : "mic_failed") }),
      );
  }

  release(): void {
    if (this.state.stage === "starting") {
      this.releaseWanted = true;
      return;
    }
    if (this.state.stage === "recording") void this.finish();
  }

  /** Leaving the screen: nothing more is sent. */
  cancel(): void {
    this.reset();
  }

  private started(capture: Capture): void {
    if (this.state.stage !== "starting") {
      void capture.stop(); // cancelled while the microphone was opening
      return;
    }
    this.capture = capture;
    this.key = `answer-${this.deps.askId}-${Date.now().toString(36)}`;
    this.session = new LiveSession({
      url: this.deps.liveUrl,
      openSocket: this.deps.openSocket,
      audio: this.log,
      purpose: { purpose: "answer", ask_id: this.deps.askId },
      isOnline: this.deps.isOnline,
      events: {
        partial: (committed, tentative) => this.set({ committed, tentative }),
        transcript: (text) => this.set({ transcript: text, committed: text, tentative: "" }),
        answer: (answerId) => this.set({ stage: "sent", answerId, message: null }),
        done: () => {
          if (this.state.stage !== "sent") this.set({ stage: "error", message: "Your answer was not saved. Please try again, or type it." });
        },
        error: (code, message) => void this.failed(code, message),
      },
    });
    this.session.start();
    this.set({ stage: "recording" });
    this.limit = setTimeout(() => this.release(), this.deps.maxMs ?? 5 * 60_000);
    if (this.releaseWanted) this.release();
  }

  private onFrame(pcm: Uint8Array): void {
    this.log.append(pcm);
    this.session?.pump();
  }

  private async finish(): Promise<void> {
    const { capture, session } = this;
    if (!capture || !session) return;
    this.clearLimit();
    this.set({ stage: "sending", level: 0 });
    await capture.stop();
    this.capture = null;
    if (session.phase === "failed" || session.phase === "cancelled") await this.uploadInstead(session.error?.code ?? "network");
    else session.stop();
  }

  private async failed(code: string, message: string): Promise<void> {
    if (this.state.stage === "recording") {
      this.set({ message: messageFor(code, message) }); // keeps recording; release uploads
      return;
    }
    if (this.state.stage !== "sending" || this.capture) return; // finish() handles it
    if (this.state.transcript) {
      // The server has the whole answer; whether it was saved is unknown, so say so.
      this.set({ stage: "error", message: "The connection dropped before coagent confirmed your answer. Check the request again in a moment." });
      return;
    }
    await this.uploadInstead(code);
  }

  private async uploadInstead(reason: string): Promise<void> {
    this.session?.cancel();
    if (this.log.length === 0) {
      this.set({ stage: "error", message: messageFor(reason) });
      return;
    }
    try {
      const answerId = await this.deps.upload(new Blob([encodeWav(this.log.read(0), TARGET_RATE)], { type: "audio/wav" }), this.key);
      this.set({ stage: "sent", answerId, message: null });
    } catch (err) {
      const why = err instanceof ApiError && err.code !== "network" ? messageFor(err.code, err.message) : "No connection to coagent right now.";
      this.set({ stage: "error", message: `Your answer could not be sent. ${why} Please try again, or type your answer instead.` });
    }
  }

  private reset(): void {
    this.clearLimit();
    this.session?.cancel();
    this.session = null;
    void this.capture?.stop();
    this.capture = null;
    this.log = new AudioLog();
    this.releaseWanted = false;
    if (this.state.stage === "starting" || this.state.stage === "recording" || this.state.stage === "sending") this.set({ stage: "idle" });
  }

  private clearLimit(): void {
    if (this.limit !== null) clearTimeout(this.limit);
    this.limit = null;
  }

  private set(patch: Partial<VoiceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
