// Recordings kept on the phone until the server has them: while a dictation streams (so a crash
// or a dropped connection loses nothing) and while one waits in the upload queue.

import { CHUNKS, RECORDINGS, committed, request } from "./db";

/**
 * `recording`: being captured or streamed right now.
 * `queued`: waiting to be uploaded as a file.
 * `failed`: the server refused it for good (the reason is kept to show the manager).
 */
export type RecordingState = "recording" | "queued" | "failed";

export interface StoredRecording {
  id: string;
  createdAt: number;
  sampleRate: number;
  state: RecordingState;
  /** The server's id once a live session got `ready` (informational for uploads). */
  serverRecordingId: string | null;
  error?: string;
}

export class RecordingStore {
  constructor(private readonly db: IDBDatabase) {}

  async create(rec: StoredRecording): Promise<void> {
    const tx = this.db.transaction(RECORDINGS, "readwrite");
    tx.objectStore(RECORDINGS).put(rec);
    await committed(tx);
  }

  async update(id: string, patch: Partial<Omit<StoredRecording, "id">>): Promise<void> {
    const tx = this.db.transaction(RECORDINGS, "readwrite");
    const store = tx.objectStore(RECORDINGS);
    const current = (await request(store.get(id))) as StoredRecording | undefined;
    if (current) store.put({ ...current, ...patch });
    await committed(tx);
  }

  async get(id: string): Promise<StoredRecording | undefined> {
    return (await request(this.db.transaction(RECORDINGS).objectStore(RECORDINGS).get(id))) as StoredRecording | undefined;
  }

  /** Oldest first, which is the upload order. */
  async list(): Promise<StoredRecording[]> {
    const all = (await request(this.db.transaction(RECORDINGS).objectStore(RECORDINGS).getAll())) as StoredRecording[];
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  async appendChunk(id: string, seq: number, bytes: Uint8Array): Promise<void> {
    const tx = this.db.transaction(CHUNKS, "readwrite");
    tx.objectStore(CHUNKS).put(bytes, [id, seq]);
    await committed(tx);
  }

  /** The whole recording's PCM, chunks concatenated in order. */
  async readAudio(id: string): Promise<Uint8Array> {
    const range = IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]);
    const chunks = (await request(this.db.transaction(CHUNKS).objectStore(CHUNKS).getAll(range))) as Uint8Array[];
    const total = chunks.reduce((n, c) => n + c.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }

  async remove(id: string): Promise<void> {
    const tx = this.db.transaction([RECORDINGS, CHUNKS], "readwrite");
    tx.objectStore(RECORDINGS).delete(id);
    tx.objectStore(CHUNKS).delete(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]));
    await committed(tx);
  }
}
