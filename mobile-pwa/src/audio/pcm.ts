// Pure PCM helpers shared by the audio worklet (which runs them on the audio thread) and the
// tests. Nothing here touches the DOM or Web Audio, so it runs the same in Node.

/** The server's native format: 16 kHz mono, signed 16-bit little-endian. */
export const TARGET_RATE = 16_000;
export const BYTES_PER_SAMPLE = 2;
/** One WebSocket frame carries 100 ms: small enough for low latency, big enough to keep
 * per-message overhead negligible (10 messages a second). */
export const FRAME_MS = 100;

export function bytesPerMs(sampleRate: number): number {
  return (sampleRate / 1000) * BYTES_PER_SAMPLE;
}

/** Float samples in [-1, 1] → signed 16-bit little-endian bytes. Out-of-range input is
 * clipped rather than wrapped (a wrapped peak is a loud click; a clipped one is just loud), and
 * NaN becomes silence. Negative and positive halves scale separately so -1 → -32768 and
 * 1 → 32767 exactly. */
export function floatToInt16LE(input: Float32Array): Uint8Array {
  const out = new Uint8Array(input.length * BYTES_PER_SAMPLE);
  const view = new DataView(out.buffer);
  for (let i = 0; i < input.length; i++) {
    view.setInt16(i * BYTES_PER_SAMPLE, floatToInt16(input[i] ?? 0), true);
  }
  return out;
}

export function floatToInt16(sample: number): number {
  if (!(sample === sample)) return 0; // NaN
  const s = sample < -1 ? -1 : sample > 1 ? 1 : sample;
  return s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
}

/** Reads signed 16-bit little-endian bytes back as integers (tests, level meter). */
export function int16LEToArray(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(Math.floor(bytes.byteLength / BYTES_PER_SAMPLE));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * BYTES_PER_SAMPLE, true);
  return out;
}

/** Loudness of a PCM frame for the level meter, 0 (≤ -60 dBFS) to 1 (0 dBFS). Decibels, not
 * raw RMS, because speech sits around -30 dBFS and a linear meter would barely move. */
export function levelOf(bytes: Uint8Array): number {
  const samples = int16LEToArray(bytes);
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length) / 32768;
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/**
 * Streaming downsampler: low-pass (windowed sinc) then resample at any ratio, block by block,
 * so the audio thread can feed it the 128-sample blocks Web Audio delivers. Phones record at
 * 48 kHz or 44.1 kHz; the filter keeps speech up to ~7.4 kHz and stops the rest from folding
 * back into the band Whisper listens to.
 *
 * Output sample n sits at input time n·inRate/outRate, with the kernel centred there (no delay),
 * so `ceil(inputLength · outRate / inRate)` samples come out once `flush()` has been called.
 * That position's fraction takes only outRate/gcd(inRate, outRate) values (1 from 48 kHz, 160
 * from 44.1 kHz), so each fraction's kernel is computed once and every output is one dot product.
 */
export class Downsampler {
  private readonly halfTaps: number;
  private readonly phaseUnit: number;
  private readonly kernels: (Float32Array | undefined)[];
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buf: Float32Array;
  private len: number;
  /** Where input sample 0 sits in buf (negative once old input has been dropped). */
  private origin: number;
  /** Output samples produced so far. Positions come from integers each time, so long
   * recordings do not drift the way a running `pos += step` would. */
  private produced = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number = TARGET_RATE,
    zeroCrossings = 12,
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate < outRate) {
      throw new Error(`cannot resample from ${inRate} Hz to ${outRate} Hz`);
    }
    const step = inRate / outRate;
    // Cutoff in cycles per input sample, a little below the output's Nyquist frequency so the
    // transition band is over before it.
    this.cutoff = (0.5 * 0.92) / step;
    this.halfWidth = zeroCrossings / (2 * this.cutoff);
    this.halfTaps = Math.ceil(this.halfWidth);
    this.phaseUnit = gcd(inRate, outRate);
    this.kernels = new Array<Float32Array | undefined>(outRate / this.phaseUnit);
    // Leading zeros stand for the silence before the first sample, so output 0 is centred on
    // input 0 like every other output.
    this.buf = new Float32Array(this.halfTaps + 4096);
    this.len = this.halfTaps;
    this.origin = this.halfTaps;
  }

  process(input: Float32Array): Float32Array {
    this.append(input);
    // Wait until the kernel's right half has real samples under it.
    return this.drain(this.len - this.halfTaps - 1);
  }

  /** Emits what is left once the input has ended, treating what follows as silence. */
  flush(): Float32Array {
    const realEnd = this.len;
    this.append(new Float32Array(this.halfTaps + 2));
    const out = this.drain(realEnd);
    this.len = realEnd;
    return out;
  }

  private append(input: Float32Array): void {
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
  }

  /** Produces every output centred before buf index `end`, then drops input no later output
   * can reach. */
  private drain(end: number): Float32Array {
    const out: number[] = [];
    for (;;) {
      const num = this.produced * this.inRate;
      const whole = Math.floor(num / this.outRate);
      const centre = this.origin + whole;
      const rem = num - whole * this.outRate;
      if (centre + rem / this.outRate >= end) break;
      out.push(this.dot(centre - this.halfTaps, this.kernel(rem / this.phaseUnit)));
      this.produced++;
    }
    const next = this.origin + Math.floor((this.produced * this.inRate) / this.outRate);
    const keepFrom = Math.min(this.len, Math.max(0, next - this.halfTaps - 1));
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.len);
      this.len -= keepFrom;
      this.origin -= keepFrom;
    }
    return Float32Array.from(out);
  }

  private dot(first: number, kernel: Float32Array): number {
    const buf = this.buf;
    let acc = 0;
    for (let j = 0; j < kernel.length; j++) acc += (buf[first + j] ?? 0) * (kernel[j] as number);
    return acc;
  }

  /** Taps for an output whose centre lies `phase` phase units past an input sample. */
  private kernel(phase: number): Float32Array {
    const cached = this.kernels[phase];
    if (cached) return cached;
    const frac = (phase * this.phaseUnit) / this.outRate;
    const taps = new Float32Array(2 * this.halfTaps + 2);
    for (let j = 0; j < taps.length; j++) {
      const x = Math.abs(j - this.halfTaps - frac);
      taps[j] = x >= this.halfWidth ? 0 : windowedSinc(x, this.cutoff, this.halfWidth);
    }
    // Exactly unity gain at DC for every phase, so a constant input stays constant.
    const sum = taps.reduce((a, b) => a + b, 0);
    for (let j = 0; j < taps.length; j++) taps[j] = (taps[j] as number) / sum;
    this.kernels[phase] = taps;
    return taps;
  }
}

/** Blackman-windowed sinc low-pass at `cutoff` cycles per sample. */
function windowedSinc(x: number, cutoff: number, halfWidth: number): number {
  const arg = 2 * Math.PI * cutoff * x;
  const sinc = x === 0 ? 1 : Math.sin(arg) / arg;
  const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / halfWidth) + 0.08 * Math.cos((2 * Math.PI * x) / halfWidth);
  return 2 * cutoff * sinc * w;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Cuts a stream of PCM bytes into frames of a fixed size (100 ms). The tail that does not fill
 * a frame waits for more audio, or comes out short on `flush()` at the end of a recording.
 */
export class Framer {
  private pending: Uint8Array<ArrayBuffer>;
  private filled = 0;

  constructor(readonly frameBytes: number) {
    this.pending = new Uint8Array(frameBytes);
  }

  push(bytes: Uint8Array): Uint8Array<ArrayBuffer>[] {
    const frames: Uint8Array<ArrayBuffer>[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(this.frameBytes - this.filled, bytes.length - offset);
      this.pending.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        frames.push(this.pending);
        this.pending = new Uint8Array(this.frameBytes);
        this.filled = 0;
      }
    }
    return frames;
  }

  flush(): Uint8Array<ArrayBuffer> | null {
    if (this.filled === 0) return null;
    const last = this.pending.slice(0, this.filled);
    this.filled = 0;
    return last;
  }
}

/** Frame size in bytes for FRAME_MS at a given rate. */
export function frameBytesFor(sampleRate: number, frameMs = FRAME_MS): number {
  return Math.round((sampleRate * frameMs) / 1000) * BYTES_PER_SAMPLE;
}
