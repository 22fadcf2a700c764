import { describe, expect, it } from "vitest";
import { AudioLog } from "../src/live/audio-log";

describe("audio log", () => {
  it("reads any range across chunk boundaries", () => {
    const log = new AudioLog();
    const all = Uint8Array.from({ length: 100 }, (_, i) => i);
    for (const [a, b] of [[0, 7], [7, 30], [30, 31], [31, 100]] as const) log.append(all.slice(a, b));
    expect(log.length).toBe(100);
    for (const [a, b] of [[0, 100], [5, 9], [6, 31], [30, 31], [99, 100], [50, 50]] as const) expect(log.read(a, b)).toEqual(all.slice(a, b));
    expect(log.read(90, 500)).toEqual(all.slice(90));
    expect(log.read(200)).toEqual(new Uint8Array(0));
  });
});
