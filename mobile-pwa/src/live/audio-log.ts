// The bytes of one recording, in order, append-only. The live session reads from any offset so a
// resumed connection can send exactly what the server is missing.

export class AudioLog {
  private readonly chunks: Uint8Array[] = [];
  /** Offset of each chunk's first byte, for binary search. */
  private readonly starts: number[] = [];
  private total = 0;

  constructor(initial?: Uint8Array) {
    if (initial && initial.length > 0) this.append(initial);
  }

  get length(): number {
    return this.total;
  }

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.starts.push(this.total);
    this.chunks.push(bytes);
    this.total += bytes.length;
  }

  /** A copy of bytes [from, to), clamped to what has been recorded. */
  read(from: number, to = this.total): Uint8Array {
    const start = Math.max(0, Math.min(from, this.total));
    const end = Math.max(start, Math.min(to, this.total));
    const out = new Uint8Array(end - start);
    let i = this.chunkAt(start);
    let written = 0;
    while (written < out.length) {
      const chunk = this.chunks[i] as Uint8Array;
      const chunkStart = this.starts[i] as number;
      const offset = start + written - chunkStart;
      const take = Math.min(chunk.length - offset, out.length - written);
      out.set(chunk.subarray(offset, offset + take), written);
      written += take;
      i++;
    }
    return out;
  }

  private chunkAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
