// Recordings that could not be streamed (made offline, or the server was busy) wait here and are
// uploaded as WAV files once the network is back. Each is removed only after the server
// accepted it, so a failed upload is simply tried again later.

import { ApiError } from "../api/client";
import { encodeWav } from "../audio/wav";
import type { RecordingStore, StoredRecording } from "./store";

export type Upload = (wav: Blob, idempotencyKey: string) => Promise<unknown>;

export interface QueueStatus {
  waiting: number;
  /** Refused for good by the server; shown with the reason, for the manager to discard. */
  failed: StoredRecording[];
}

export interface FlushResult {
  uploaded: number;
  /** Why the run stopped early (no network, server busy, signed out); null if it did not. */
  stoppedBy: ApiError | null;
}

export class UploadQueue {
  private running: Promise<FlushResult> | null = null;
  private readonly listeners = new Set<(status: QueueStatus) => void>();

  private readonly store: RecordingStore;
  private readonly upload: Upload;
  private readonly isOnline: () => boolean;
  private readonly onUploaded: (count: number) => void;

  constructor(opts: { store: RecordingStore; upload: Upload; isOnline?: () => boolean; onUploaded?: (count: number) => void }) {
    this.store = opts.store;
    this.upload = opts.upload;
    this.isOnline = opts.isOnline ?? (() => navigator.onLine);
    this.onUploaded = opts.onUploaded ?? (() => {});
  }

  /** Hands a stored recording to the queue. */
  async enqueue(id: string): Promise<void> {
    await this.store.update(id, { state: "queued" });
    await this.notify();
  }

  /** Recordings left in `recording` state by a crash or a closed tab become uploads. Called at
   * start-up, before this tab records anything. */
  async recoverInterrupted(): Promise<void> {
    for (const rec of await this.store.list()) {
      if (rec.state === "recording") await this.store.update(rec.id, { state: "queued" });
    }
    await this.notify();
  }

  async status(): Promise<QueueStatus> {
    const all = await this.store.list();
    return { waiting: all.filter((r) => r.state === "queued").length, failed: all.filter((r) => r.state === "failed") };
  }

  /** Uploads every queued recording, oldest first, one at a time. Concurrent calls share one
   * run, so a recording is never uploaded twice by this tab. */
  flush(): Promise<FlushResult> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async discard(id: string): Promise<void> {
    await this.store.remove(id);
    await this.notify();
  }

  subscribe(listener: (status: QueueStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async run(): Promise<FlushResult> {
    const result: FlushResult = { uploaded: 0, stoppedBy: null };
    if (!this.isOnline()) return { ...result, stoppedBy: new ApiError(0, "network", "No network connection.") };
    try {
      for (const rec of await this.store.list()) {
        if (rec.state !== "queued") continue;
        const pcm = await this.store.readAudio(rec.id);
        if (pcm.byteLength === 0) {
          await this.store.remove(rec.id); // pressed and released before any audio arrived
          continue;
        }
        const wav = new Blob([encodeWav(pcm, rec.sampleRate)], { type: "audio/wav" });
        try {
          await this.upload(wav, rec.id);
        } catch (err) {
          const apiErr = err instanceof ApiError ? err : new ApiError(0, "network", String(err));
          if (apiErr.retryable || apiErr.status === 401) {
            result.stoppedBy = apiErr; // the rest would fail the same way; try later
            break;
          }
          await this.store.update(rec.id, { state: "failed", error: apiErr.message || apiErr.code });
          continue;
        }
        await this.store.remove(rec.id);
        result.uploaded++;
      }
    } finally {
      await this.notify();
    }
    if (result.uploaded > 0) this.onUploaded(result.uploaded);
    return result;
  }

  private async notify(): Promise<void> {
    if (this.listeners.size === 0) return;
    const status = await this.status();
    for (const listener of this.listeners) listener(status);
  }
}
