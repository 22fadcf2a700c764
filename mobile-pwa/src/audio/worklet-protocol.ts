// What the PCM worklet and the main thread say to each other. Kept apart from worklet.ts so the
// main thread can import it without running the worklet's registerProcessor call.

export const PROCESSOR_NAME = "coagent-pcm";

/** Main thread → worklet. */
export const FLUSH = "flush";

/** Worklet → main thread: a 100 ms frame of PCM bytes (the last may be shorter), or the end
 * once a flush has pushed out everything. */
export type WorkletMessage = { type: "frame"; pcm: ArrayBuffer } | { type: "ended" };
