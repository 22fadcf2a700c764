// What the shell hands to the console's pages. Types only; the pages stay testable with fakes.

import type { Member } from "../api/client";
import type { ConsoleApi } from "../api/console";

export interface ConsoleContext {
  api: ConsoleApi;
  /** Who is signed in (a concierge, or the console would not show). */
  me(): Member | null;
  /** Moves to another screen (a hash). */
  go(hash: string): void;
  /** Runs when the page is left (stops audio, timers). */
  onLeave(fn: () => void): void;
  /** Writes the page's own state (tab, search) into the address without a new history entry,
   * so coming back to the page finds it as it was. */
  replaceHash(hash: string): void;
}
