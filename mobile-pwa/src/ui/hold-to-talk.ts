// The talk button's gesture: press and hold to speak, release to send. A press shorter than
// TAP_MS is a tap, which toggles instead (tap to start, tap to send), for people who cannot hold a
// button and for screen readers, whose activation is a click. Space and Enter behave like a
// finger. The decision logic is a plain class so it is tested without a DOM.

export const TAP_MS = 350;

export type GestureAction = "start" | "stop" | "latch" | null;

export class HoldGesture {
  private active = false;
  /** After a tap the recording keeps going without a finger on the button. */
  private latched = false;
  private downAt = 0;
  /** The press that stopped a latched recording: its release must not start anything. */
  private swallowUp = false;

  get recording(): boolean {
    return this.active;
  }
  get isLatched(): boolean {
    return this.latched;
  }

  down(now: number): GestureAction {
    if (this.active && this.latched) {
      this.active = false;
      this.latched = false;
      this.swallowUp = true;
      return "stop";
    }
    if (this.active) return null; // a second finger
    this.active = true;
    this.downAt = now;
    return "start";
  }

  up(now: number): GestureAction {
    if (this.swallowUp) {
      this.swallowUp = false;
      return null;
    }
    if (!this.active || this.latched) return null;
    if (now - this.downAt < TAP_MS) {
      this.latched = true;
      return "latch";
    }
    this.active = false;
    return "stop";
  }

  /** A click with no press before it (screen reader activation, synthetic click). */
  activate(): GestureAction {
    if (this.active) {
      this.active = false;
      this.latched = false;
      return "stop";
    }
    this.active = true;
    this.latched = true;
    return "start";
  }

  /** The recording ended on its own (error, time limit): forget any press in progress. */
  reset(): void {
    this.active = false;
    this.latched = false;
    this.swallowUp = false;
  }
}

export interface HoldHandlers {
  start(): void;
  stop(): void;
  /** The press was a tap: recording continues until the next tap. */
  latch(): void;
}

/** Wires pointer, keyboard and click events of `button` to the gesture. Returns the gesture so
 * the owner can reset it. */
export function bindHoldToTalk(button: HTMLElement, handlers: HoldHandlers, now: () => number = () => performance.now()): HoldGesture {
  const gesture = new HoldGesture();
  let pointerId: number | null = null;
  let keyHeld: string | null = null;
  /** Pointer and key presses are followed by a click we must not count twice. */
  let ignoreClickUntil = 0;

  const run = (action: GestureAction) => {
    if (action === "start") handlers.start();
    else if (action === "stop") handlers.stop();
    else if (action === "latch") handlers.latch();
  };

  button.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || pointerId !== null) return;
    e.preventDefault(); // no text selection, no emulated mouse events
    pointerId = e.pointerId;
    // Keep receiving the release even if the finger slides off the button.
    button.setPointerCapture?.(e.pointerId);
    button.focus({ preventScroll: true });
    run(gesture.down(now()));
  });
  const release = (e: PointerEvent) => {
    if (e.pointerId !== pointerId) return;
    pointerId = null;
    ignoreClickUntil = now() + 1000;
    run(gesture.up(now()));
  };
  button.addEventListener("pointerup", release);
  button.addEventListener("pointercancel", release);
  // Long-press on mobile would otherwise open a context menu or a text-selection loupe.
  button.addEventListener("contextmenu", (e) => e.preventDefault());

  button.addEventListener("keydown", (e) => {
    if (e.key !== " " && e.key !== "Enter") return;
    e.preventDefault(); // stops the browser's own click
    if (e.repeat || keyHeld) return;
    keyHeld = e.key;
    run(gesture.down(now()));
  });
  button.addEventListener("keyup", (e) => {
    if (e.key !== keyHeld) return;
    e.preventDefault();
    keyHeld = null;
    ignoreClickUntil = now() + 1000;
    run(gesture.up(now()));
  });
  button.addEventListener("blur", () => {
    // Focus moved away with the key still down: that key's release will never reach us.
    if (keyHeld) {
      keyHeld = null;
      run(gesture.up(now()));
    }
  });

  button.addEventListener("click", (e) => {
    if (now() < ignoreClickUntil) {
      e.preventDefault();
      return;
    }
    run(gesture.activate());
  });
  return gesture;
}
