import { describe, expect, it } from "vitest";
import { Downsampler, Framer, floatToInt16, floatToInt16LE, frameBytesFor, int16LEToArray, levelOf } from "../src/audio/pcm";

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Runs a whole signal through the downsampler in Web Audio's 128-sample blocks. */
function downsampleInBlocks(input: Float32Array, inRate: number, outRate = 16_000): Float32Array {
  const ds = new Downsampler(inRate, outRate);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += 128) parts.push(ds.process(input.subarray(i, i + 128)));
  parts.push(ds.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Magnitude of the signal's component at `freq` (single-bin DFT), normalised to amplitude. */
function amplitudeAt(signal: Float32Array, freq: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < signal.length; i++) {
    const a = (2 * Math.PI * freq * i) / rate;
    re += (signal[i] ?? 0) * Math.cos(a);
    im -= (signal[i] ?? 0) * Math.sin(a);
  }
  return (2 * Math.hypot(re, im)) / signal.length;
}

function zeroCrossings(signal: Float32Array): number {
  let n = 0;
  for (let i = 1; i < signal.length; i++) if ((signal[i - 1] ?? 0) < 0 !== (signal[i] ?? 0) < 0) n++;
  return n;
}

describe("float to int16 little-endian", () => {
  it("maps full scale to the int16 extremes", () => {
    expect(floatToInt16(1)).toBe(32767);
    expect(floatToInt16(-1)).toBe(-32768);
    expect(floatToInt16(0)).toBe(0);
    expect(floatToInt16(0.5)).toBe(16384);
  });

  it("clips out-of-range samples instead of wrapping", () => {
    expect(floatToInt16(1.7)).toBe(32767);
    expect(floatToInt16(-3)).toBe(-32768);
    expect(floatToInt16(Number.POSITIVE_INFINITY)).toBe(32767);
    expect(floatToInt16(Number.NaN)).toBe(0);
  });

  it("writes two bytes per sample, low byte first", () => {
    const bytes = floatToInt16LE(Float32Array.from([1, -1, 0, 2]));
    expect(Array.from(bytes)).toEqual([0xff, 0x7f, 0x00, 0x80, 0x00, 0x00, 0xff, 0x7f]);
    expect(Array.from(int16LEToArray(bytes))).toEqual([32767, -32768, 0, 32767]);
  });
});

describe("downsampling", () => {
  it("keeps the duration: one second at 48 kHz gives one second at 16 kHz", () => {
    const out = downsampleInBlocks(tone(440, 48_000, 1), 48_000);
    expect(out.length).toBe(16_000);
  });

  it("keeps the duration from 44.1 kHz too", () => {
    const out = downsampleInBlocks(tone(440, 44_100, 2), 44_100);
    expect(out.length).toBe(32_000);
  });

  it("keeps a tone's frequency and level", () => {
    const out = downsampleInBlocks(tone(1000, 48_000, 1), 48_000);
    // 1 kHz crosses zero 2000 times a second.
    expect(Math.abs(zeroCrossings(out) - 2000)).toBeLessThanOrEqual(2);
    const steady = out.subarray(800, 15_200); // away from the edges
    expect(amplitudeAt(steady, 1000, 16_000)).toBeCloseTo(0.5, 2);
    expect(amplitudeAt(steady, 1100, 16_000)).toBeLessThan(0.01);
  });

  it("keeps phase: the output is the tone sampled at the new rate, not delayed", () => {
    const out = downsampleInBlocks(tone(300, 48_000, 0.5), 48_000);
    const expected = tone(300, 16_000, 0.5);
    for (let i = 400; i < 7600; i += 97) expect(out[i]).toBeCloseTo(expected[i] ?? 0, 2);
  });

  it("removes tones above the new Nyquist frequency instead of folding them down", () => {
    // 12 kHz would alias to 4 kHz at 16 kHz without the low-pass filter.
    const out = downsampleInBlocks(tone(12_000, 48_000, 1), 48_000);
    expect(amplitudeAt(out.subarray(800, 15_200), 4000, 16_000)).toBeLessThan(0.005);
  });

  it("gives the same result whatever the block size", () => {
    const input = tone(700, 48_000, 0.3);
    const whole = new Downsampler(48_000);
    const a = Float32Array.from([...whole.process(input), ...whole.flush()]);
    const b = downsampleInBlocks(input, 48_000);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] ?? 0, 5);
  });
});

describe("framing", () => {
  it("cuts 100 ms frames: 3200 bytes at 16 kHz", () => {
    expect(frameBytesFor(16_000)).toBe(3200);
  });

  it("emits whole frames as they fill and the short tail on flush", () => {
    const framer = new Framer(3200);
    const frames: Uint8Array[] = [];
    const input = new Uint8Array(3200 * 2 + 1000).map((_, i) => i % 251);
    for (let i = 0; i < input.length; i += 256) frames.push(...framer.push(input.subarray(i, i + 256)));
    expect(frames.map((f) => f.length)).toEqual([3200, 3200]);
    const tail = framer.flush();
    expect(tail?.length).toBe(1000);
    expect(framer.flush()).toBeNull();
    const joined = Uint8Array.from([...frames.flatMap((f) => Array.from(f)), ...Array.from(tail ?? [])]);
    expect(joined).toEqual(input);
  });
});

describe("level", () => {
  it("is 0 for silence, near 1 for full scale, in between for speech-like levels", () => {
    expect(levelOf(new Uint8Array(3200))).toBe(0);
    expect(levelOf(floatToInt16LE(tone(440, 16_000, 0.1, 1)))).toBeGreaterThan(0.9);
    const speech = levelOf(floatToInt16LE(tone(440, 16_000, 0.1, 0.03)));
    expect(speech).toBeGreaterThan(0.3);
    expect(speech).toBeLessThan(0.8);
  });
});
