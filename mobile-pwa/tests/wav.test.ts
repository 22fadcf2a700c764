import { describe, expect, it } from "vitest";
import { encodeWav } from "../src/audio/wav";

const text = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

describe("WAV encoding", () => {
  it("writes a canonical 44-byte PCM header for 16 kHz mono 16-bit", () => {
    const pcm = Uint8Array.from({ length: 6400 }, (_, i) => i & 0xff);
    const wav = encodeWav(pcm, 16_000);
    const v = new DataView(wav.buffer);
    expect(wav.length).toBe(44 + 6400);
    expect(text(wav, 0)).toBe("RIFF");
    expect(v.getUint32(4, true)).toBe(36 + 6400);
    expect(text(wav, 8)).toBe("WAVE");
    expect(text(wav, 12)).toBe("fmt ");
    expect(v.getUint32(16, true)).toBe(16);
    expect(v.getUint16(20, true)).toBe(1); // PCM
    expect(v.getUint16(22, true)).toBe(1); // mono
    expect(v.getUint32(24, true)).toBe(16_000);
    expect(v.getUint32(28, true)).toBe(32_000); // byte rate
    expect(v.getUint16(32, true)).toBe(2); // block align
    expect(v.getUint16(34, true)).toBe(16); // bits per sample
    expect(text(wav, 36)).toBe("data");
    expect(v.getUint32(40, true)).toBe(6400);
  });

  it("carries the PCM bytes unchanged after the header", () => {
    const pcm = Uint8Array.from([1, 2, 3, 4, 250, 251]);
    expect(encodeWav(pcm, 16_000).subarray(44)).toEqual(pcm);
  });

  it("handles an empty recording", () => {
    const wav = encodeWav(new Uint8Array(0), 16_000);
    expect(wav.length).toBe(44);
    expect(new DataView(wav.buffer).getUint32(40, true)).toBe(0);
  });
});
