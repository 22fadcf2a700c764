import { describe, expect, it } from "vitest";
import { HoldGesture, TAP_MS } from "../src/ui/hold-to-talk";

describe("hold-to-talk gesture", () => {
  it("press and hold starts, release stops", () => {
    const g = new HoldGesture();
    expect(g.down(0)).toBe("start");
    expect(g.up(2000)).toBe("stop");
    expect(g.recording).toBe(false);
  });

  it("a tap latches: recording continues until the next tap", () => {
    const g = new HoldGesture();
    expect(g.down(0)).toBe("start");
    expect(g.up(TAP_MS - 50)).toBe("latch");
    expect(g.recording).toBe(true);
    expect(g.isLatched).toBe(true);
    expect(g.down(5000)).toBe("stop");
    expect(g.up(5100)).toBeNull(); // that tap's release starts nothing
    expect(g.recording).toBe(false);
  });

  it("a second finger during a hold does nothing", () => {
    const g = new HoldGesture();
    g.down(0);
    expect(g.down(100)).toBeNull();
  });

  it("click-only activation (screen readers) toggles", () => {
    const g = new HoldGesture();
    expect(g.activate()).toBe("start");
    expect(g.activate()).toBe("stop");
  });

  it("reset forgets a hold ended from elsewhere", () => {
    const g = new HoldGesture();
    g.down(0);
    g.reset();
    expect(g.up(5000)).toBeNull();
    expect(g.down(6000)).toBe("start");
  });
});
