// The way into the concierge console: only a member whom GET /api/v1/me calls a concierge gets
// past it (the server refuses everyone else with 403 as well). Loaded on demand, and the
// console's own code loads only past it, so members never download it.

import type { Api, Member } from "../api/client";
import type { ConsoleContext } from "../console/context";
import { h } from "../ui/dom";

export interface ConsoleDeps {
  api: Api;
  /** GET /api/v1/me (the shell asks once per app start). */
  whoami(): Promise<Member>;
  me(): Member | null;
  go(hash: string): void;
  onLeave(fn: () => void): void;
  /** The console's screen; a test hands in its own. */
  load?: () => Promise<{ consoleScreen(ctx: ConsoleContext, path: string, query: string): Promise<HTMLElement> }>;
}

export async function consoleGate(deps: ConsoleDeps, path: string, query: string): Promise<HTMLElement> {
  const member = await deps.whoami();
  if (member.role !== "concierge") return notForYou();
  const load = deps.load ?? (() => import("../console/console-app"));
  const [{ consoleScreen }, { consoleApi }] = await Promise.all([load(), import("../api/console")]);
  const ctx: ConsoleContext = {
    api: consoleApi(deps.api),
    me: deps.me,
    go: deps.go,
    onLeave: deps.onLeave,
    // No hashchange, so no new screen: the page only records its state in the address.
    replaceHash: (hash) => history.replaceState(history.state, "", hash),
  };
  return consoleScreen(ctx, path, query);
}

/** What a member who is not the concierge sees at a console address. */
export function notForYou(): HTMLElement {
  return h(
    "section",
    { class: "not-for-you", "data-testid": "not-for-you" },
    h("h1", {}, "This page is for the concierge"),
    h("p", { class: "message" }, "The concierge uses it to look after the network. Everything you need is in the app."),
    h("a", { href: "#/", class: "back" }, "Back to the app"),
  );
}
