// The console's own pages, after `#/console`:
//   #/console                 the queue (?state=routed&q=words or ?similar=text)
//   #/console/asks/ID         one ask: transcript, card, routing, answers, digest, history
//   #/console/members         members, invites, load, profiles
//   #/console/health          how the network is doing, week by week
//   #/console/audit           every change a concierge made, newest first

import type { QueueState } from "../api/console-types";

export const QUEUE_STATES: readonly QueueState[] = ["draft", "routed", "waiting", "answered", "closed"];

export type ConsolePage =
  | { name: "queue"; state: QueueState | ""; q: string; similar: string }
  | { name: "ask"; id: string }
  | { name: "members" }
  | { name: "health" }
  | { name: "audit" };

export function parseConsole(path: string, query = ""): ConsolePage {
  const [first, id] = path.split("/").filter(Boolean);
  if (first === "asks" && id) return { name: "ask", id: decode(id) };
  if (first === "members") return { name: "members" };
  if (first === "health") return { name: "health" };
  if (first === "audit") return { name: "audit" };
  const params = new URLSearchParams(query);
  const state = params.get("state") ?? "";
  return {
    name: "queue",
    state: (QUEUE_STATES as readonly string[]).includes(state) ? (state as QueueState) : "",
    q: params.get("q") ?? "",
    similar: params.get("similar") ?? "",
  };
}

export function consoleHref(page: ConsolePage): string {
  switch (page.name) {
    case "queue": {
      const params = new URLSearchParams();
      if (page.state) params.set("state", page.state);
      if (page.similar) params.set("similar", page.similar);
      else if (page.q) params.set("q", page.q);
      const text = params.toString();
      return `#/console${text ? `?${text}` : ""}`;
    }
    case "ask":
      return `#/console/asks/${encodeURIComponent(page.id)}`;
    default:
      return `#/console/${page.name}`;
  }
}

/** The queue, all states, no search. */
export const QUEUE: ConsolePage = { name: "queue", state: "", q: "", similar: "" };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
