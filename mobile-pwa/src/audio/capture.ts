// Microphone → 16 kHz PCM frames. Owns getUserMedia, the AudioContext and the worklet node;
// knows nothing about sockets or storage.

import workletUrl from "./worklet.ts?worker&url";
import { levelOf } from "./pcm";
import { FLUSH, PROCESSOR_NAME, type WorkletMessage } from "./worklet-protocol";

export interface CaptureCallbacks {
  onFrame(pcm: Uint8Array): void;
  /** 0..1, once per frame, for the level meter. */
  onLevel(level: number): void;
}

export interface Capture {
  /** Stops the microphone after the last (possibly short) frame has been delivered. */
  stop(): Promise<void>;
}

/** Why capture could not start, in terms the UI can explain. */
export type CaptureErrorCode = "mic_denied" | "mic_missing" | "mic_unsupported" | "mic_failed";

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    cause?: unknown,
  ) {
    super(code, { cause });
  }
}

/**
 * Call it straight from the press handler: the AudioContext is created before the first
 * `await`, so with a mouse or a key it is still inside the user activation browsers require
 * for audio (touch is handled by keepResuming below).
 */
export async function startCapture(callbacks: CaptureCallbacks): Promise<Capture> {
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === "undefined") {
    throw new CaptureError("mic_unsupported");
  }
  // The device's own rate: asking for 16 kHz here fails on some browsers when the microphone
  // runs at 48 kHz, and our own downsampler's filter is known.
  const context = new AudioContext();
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (err) {
    void context.close();
    throw new CaptureError(micErrorCode(err), err);
  }
  try {
    await context.audioWorklet.addModule(workletUrl);
  } catch (err) {
    stopTracks(stream);
    void context.close();
    throw new CaptureError("mic_failed", err);
  }

  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, PROCESSOR_NAME, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    channelCount: 1,
    channelCountMode: "explicit",
  });
  let ended: () => void = () => {};
  const endedPromise = new Promise<void>((resolve) => (ended = resolve));
  node.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
    const msg = event.data;
    if (msg.type === "frame") {
      const pcm = new Uint8Array(msg.pcm);
      callbacks.onLevel(levelOf(pcm));
      callbacks.onFrame(pcm);
    } else {
      ended();
    }
  };
  source.connect(node);
  // The node writes only silence, but some browsers pull a node only when it leads to the
  // destination, so it is connected there.
  node.connect(context.destination);
  // A track can end under us (another app takes the mic, Bluetooth headset drops).
  for (const track of stream.getAudioTracks()) track.addEventListener("ended", () => node.port.postMessage(FLUSH));

  const unlock = keepResuming(context);

  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        unlock();
        node.port.postMessage(FLUSH);
        // The flush answer comes back within one render quantum; the timeout only guards a
        // suspended context (screen locked) so stop() always settles.
        await Promise.race([endedPromise, new Promise((r) => setTimeout(r, 500))]);
        source.disconnect();
        node.disconnect();
        stopTracks(stream);
        await context.close().catch(() => {});
      })();
      return stopping;
    },
  };
}

/**
 * Starts the context, now or at the next user activation. On touch screens `pointerdown` does
 * not count as an activation (only the release does), so on a page the user has not touched
 * before, the context may start suspended; the release, or any later tap or key, starts it.
 * Returns a function that removes the listeners.
 */
function keepResuming(context: AudioContext): () => void {
  const events = ["pointerup", "touchend", "keydown", "click"] as const;
  const resume = () => {
    if (context.state === "suspended") void context.resume().catch(() => {});
    else remove();
  };
  const remove = () => {
    for (const type of events) document.removeEventListener(type, resume, true);
  };
  for (const type of events) document.addEventListener(type, resume, true);
  resume();
  return remove;
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function micErrorCode(err: unknown): CaptureErrorCode {
  const name = err instanceof DOMException || err instanceof Error ? err.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "mic_denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "mic_missing";
  return "mic_failed";
}
