// A recording that could not be streamed is uploaded as a plain WAV file: the server's decoder
// reads it like any other upload, and the PCM bytes inside are exactly the ones captured.

import { BYTES_PER_SAMPLE } from "./pcm";

const HEADER_BYTES = 44;

/** Wraps signed 16-bit little-endian mono PCM in a canonical 44-byte RIFF/WAVE header. */
export function encodeWav(pcm: Uint8Array, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(HEADER_BYTES + pcm.byteLength);
  const view = new DataView(out.buffer);
  const blockAlign = channels * BYTES_PER_SAMPLE;
  ascii(view, 0, "RIFF");
  view.setUint32(4, 36 + pcm.byteLength, true); // size of everything after this field
  ascii(view, 8, "WAVE");
  ascii(view, 12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size for plain PCM
  view.setUint16(20, 1, true); // format 1 = integer PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, BYTES_PER_SAMPLE * 8, true); // bits per sample
  ascii(view, 36, "data");
  view.setUint32(40, pcm.byteLength, true);
  out.set(pcm, HEADER_BYTES);
  return out;
}

function ascii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}
