// What the shell hands to each screen loaded on demand (inbox, request, profile, one of my asks).
// Types only; the screens stay testable with fakes.

import type { Member } from "../api/client";
import type { NetworkApi } from "../api/network";
import type { CaptureCallbacks, Capture } from "../audio/capture";
import type { OpenSocket } from "../live/session";
import type { PushEnv } from "../push/env";

export interface ScreenContext {
  api: NetworkApi;
  /** Shows a short notice above the screen; it outlives a change of screen. */
  notify(text: string): void;
  /** Who is signed in (for leaving myself out of "refer a colleague"). */
  me(): Member | null;
  push: PushEnv;
  /** The inbox learnt how many requests wait for me: the nav badge follows. */
  setInboxCount(open: number): void;
  /** Moves to another screen (a hash). */
  go(hash: string): void;
  /** Runs when this screen is left (stops a microphone, a timer). */
  onLeave(fn: () => void): void;
  /** For answers by voice. */
  voice: {
    startCapture(callbacks: CaptureCallbacks): Promise<Capture>;
    openSocket: OpenSocket;
    liveUrl: string;
    isOnline(): boolean;
  };
}
