// Runs on the audio rendering thread. Web Audio hands us 128-sample blocks at the device's rate
// (usually 48 kHz); we downsample, convert and cut them into 100 ms frames here so the main
// thread gets 10 small transferable messages a second instead of hundreds of float blocks.
//
// Built by Vite as a separate bundle (imported with `?worker&url` in capture.ts), so importing
// pcm.ts is fine: it is inlined.

import { Downsampler, Framer, TARGET_RATE, floatToInt16LE, frameBytesFor } from "./pcm";
import { FLUSH, PROCESSOR_NAME, type WorkletMessage } from "./worklet-protocol";

// The AudioWorkletGlobalScope has no TypeScript library; these are the parts we use.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessorLike): void;
interface AudioWorkletProcessorLike {
  readonly port: MessagePort;
}
declare const AudioWorkletProcessor: {
  prototype: AudioWorkletProcessorLike;
  new (): AudioWorkletProcessorLike;
};

class PcmProcessor extends AudioWorkletProcessor {
  private readonly downsampler = new Downsampler(sampleRate, TARGET_RATE);
  private readonly framer = new Framer(frameBytesFor(TARGET_RATE));
  private ended = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent) => {
      if (event.data === FLUSH) this.flush();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.ended) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true; // no input connected yet
    this.emit(this.downsampler.process(mixToMono(channels)));
    return true;
  }

  private flush(): void {
    if (this.ended) return;
    this.emit(this.downsampler.flush());
    const tail = this.framer.flush();
    if (tail) this.post(tail);
    this.ended = true;
    this.port.postMessage({ type: "ended" } satisfies WorkletMessage);
  }

  private emit(samples: Float32Array): void {
    if (samples.length === 0) return;
    for (const frame of this.framer.push(floatToInt16LE(samples))) this.post(frame);
  }

  private post(frame: Uint8Array<ArrayBuffer>): void {
    // Frames from the framer own their buffer whole, so it is transferred, not copied.
    const pcm = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? frame.buffer : frame.slice().buffer;
    this.port.postMessage({ type: "frame", pcm } satisfies WorkletMessage, [pcm]);
  }
}

function mixToMono(channels: Float32Array[]): Float32Array {
  const first = channels[0] as Float32Array;
  if (channels.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (ch[i] ?? 0) / channels.length;
  return out;
}

registerProcessor(PROCESSOR_NAME, PcmProcessor);
