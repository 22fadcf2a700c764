import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../src/api/client";
import { openDb } from "../src/offline/db";
import { UploadQueue } from "../src/offline/queue";
import { RecordingStore } from "../src/offline/store";
import { frame } from "./fake-socket";

let store: RecordingStore;

beforeEach(async () => {
  // A fresh, empty database for every test.
  store = new RecordingStore(await openDb(new IDBFactory()));
});

/** A recording made on the phone: metadata, then its frames as they came from the microphone. */
async function recordOffline(id: string, frames: Uint8Array[], createdAt = Date.now()): Promise<Uint8Array> {
  await store.create({ id, createdAt, sampleRate: 16_000, state: "recording", serverRecordingId: null });
  for (const [seq, f] of frames.entries()) await store.appendChunk(id, seq, f);
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f, at);
    at += f.length;
  }
  return all;
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe("offline upload queue", () => {
  it("stores a recording made offline and uploads it once when back online, then removes it", async () => {
    let online = false;
    const uploads: { wav: Uint8Array; key: string }[] = [];
    const upload = vi.fn(async (wav: Blob, key: string) => {
      uploads.push({ wav: await bytesOf(wav), key });
    });
    const uploaded = vi.fn();
    const queue = new UploadQueue({ store, upload, isOnline: () => online, onUploaded: uploaded });
    const statuses: number[] = [];
    queue.subscribe((s) => statuses.push(s.waiting));

    const pcm = await recordOffline("local-1", [frame(0), frame(1), frame(2, 1234)]);
    await queue.enqueue("local-1");
    expect(await queue.status()).toEqual({ waiting: 1, failed: [] });

    // Offline: nothing is tried.
    const offlineRun = await queue.flush();
    expect(offlineRun.stoppedBy?.code).toBe("network");
    expect(upload).not.toHaveBeenCalled();

    // Back online: uploaded exactly once, even if several triggers fire at once.
    online = true;
    const [a, b] = await Promise.all([queue.flush(), queue.flush()]);
    expect(a).toBe(b);
    expect(a.uploaded).toBe(1);
    expect(upload).toHaveBeenCalledTimes(1);
    expect(uploads[0]?.key).toBe("local-1");
    const wav = uploads[0]?.wav ?? new Uint8Array();
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe("RIFF");
    expect(new DataView(wav.buffer).getUint32(24, true)).toBe(16_000);
    expect(wav.subarray(44)).toEqual(pcm);
    expect(uploaded).toHaveBeenCalledWith(1);

    // Removed: metadata and audio.
    expect(await store.list()).toEqual([]);
    expect((await store.readAudio("local-1")).length).toBe(0);
    await queue.flush();
    expect(upload).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toBe(0);
  });

  it("keeps a recording when the upload fails for a passing reason, and sends it later", async () => {
    const upload = vi
      .fn<(wav: Blob, key: string) => Promise<unknown>>()
      .mockRejectedValueOnce(new ApiError(503, "busy", "Busy."))
      .mockResolvedValueOnce({ id: "ask-1" });
    const queue = new UploadQueue({ store, upload, isOnline: () => true });
    await recordOffline("r1", [frame(0)]);
    await queue.enqueue("r1");

    const first = await queue.flush();
    expect(first.stoppedBy?.code).toBe("busy");
    expect((await queue.status()).waiting).toBe(1);

    const second = await queue.flush();
    expect(second.uploaded).toBe(1);
    expect((await queue.status()).waiting).toBe(0);
  });

  it("uploads oldest first and stops at the first network failure", async () => {
    const order: string[] = [];
    const upload = vi.fn(async (_wav: Blob, key: string) => {
      order.push(key);
      if (key === "b") throw new ApiError(0, "network", "offline");
    });
    const queue = new UploadQueue({ store, upload, isOnline: () => true });
    await recordOffline("c", [frame(3)], 3000);
    await recordOffline("a", [frame(1)], 1000);
    await recordOffline("b", [frame(2)], 2000);
    for (const id of ["a", "b", "c"]) await queue.enqueue(id);
    const result = await queue.flush();
    expect(order).toEqual(["a", "b"]);
    expect(result.uploaded).toBe(1);
    expect((await store.list()).map((r) => r.id)).toEqual(["b", "c"]);
  });

  it("marks a recording the server refuses for good as failed, with the reason, and moves on", async () => {
    const upload = vi.fn(async (_wav: Blob, key: string) => {
      if (key === "bad") throw new ApiError(422, "invalid_audio", "The file is not audio we can read.");
    });
    const queue = new UploadQueue({ store, upload, isOnline: () => true });
    await recordOffline("bad", [frame(1)], 1);
    await recordOffline("good", [frame(2)], 2);
    await queue.enqueue("bad");
    await queue.enqueue("good");
    await queue.flush();
    const status = await queue.status();
    expect(status.waiting).toBe(0);
    expect(status.failed.map((r) => [r.id, r.error])).toEqual([["bad", "The file is not audio we can read."]]);
    await queue.discard("bad");
    expect(await store.list()).toEqual([]);
  });

  it("turns recordings interrupted by a crash into uploads", async () => {
    const upload = vi.fn(async () => {});
    const queue = new UploadQueue({ store, upload, isOnline: () => true });
    await recordOffline("crashed", [frame(0), frame(1)]);
    expect((await queue.status()).waiting).toBe(0); // still "recording"
    await queue.recoverInterrupted();
    expect((await queue.status()).waiting).toBe(1);
    await queue.flush();
    expect(upload).toHaveBeenCalledTimes(1);
  });

  it("drops an empty recording instead of uploading it", async () => {
    const upload = vi.fn(async () => {});
    const queue = new UploadQueue({ store, upload, isOnline: () => true });
    await recordOffline("empty", []);
    await queue.enqueue("empty");
    await queue.flush();
    expect(upload).not.toHaveBeenCalled();
    expect(await store.list()).toEqual([]);
  });
});
