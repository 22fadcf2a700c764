// Small words shared by the console's pages: times, states, numbers, errors, and the matcher's
// reasons made readable.

import { ApiError } from "../api/client";
import type { Moment, Reasons } from "../api/console-types";
import { h } from "../ui/dom";
import { timeEl } from "../ui/format";
import { messageFor } from "../ui/messages";

/** 83 400 ms → "1:23"; past an hour "1:02:03". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = String(total % 60).padStart(2, "0");
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours ? `${hours}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The server sends RFC 3339 text, or milliseconds where the client computes. */
export function toIso(value: Moment): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const t = typeof value === "number" ? value : Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A `<time>` saying how long ago, with the exact moment in its title. */
export function when(value: Moment, now = Date.now()): HTMLTimeElement | null {
  return timeEl(toIso(value), now);
}

const STATE: Record<string, string> = {
  draft: "Draft",
  routed: "Routed",
  waiting: "Waiting",
  answered: "Answered",
  closed: "Closed",
};

export function stateText(state: string): string {
  return STATE[state] ?? state;
}

const REQUEST: Record<string, string> = {
  open: "Open",
  answered: "Answered",
  passed: "Passed",
  referred: "Referred a colleague",
  withdrawn: "Withdrawn",
};

export function requestText(state: string, withdrawn = false): string {
  return withdrawn ? "Withdrawn" : (REQUEST[state] ?? state);
}

/** 0.254 → "25%"; null → "—". */
export function percent(share: number | null | undefined): string {
  return typeof share === "number" && Number.isFinite(share) ? `${Math.round(share * 100)}%` : "—";
}

/** 12.5 → "13 min", 95 → "1.6 h", 3000 → "2.1 days"; null → "—". */
export function duration(minutes: number | null | undefined): string {
  if (typeof minutes !== "number" || !Number.isFinite(minutes)) return "—";
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

export function decimal(value: number | null | undefined, digits = 2): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "—";
}

const CONSOLE_ERRORS: Record<string, string> = {
  not_concierge: "This page is for the concierge.",
  gone: "That recording was deleted (audio retention); the transcript stays.",
};

/** What to tell the concierge about a failed call: the server's own sentence for a refusal
 * (409, 422: it says what is wrong), plain words for the rest. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const known = CONSOLE_ERRORS[err.code];
  if (known) return known;
  if ((err.status === 409 || err.status === 422) && err.message) return err.message;
  return messageFor(err.code, err.message);
}

/** The reasons' sentence, and under it the score as the matcher multiplied it. */
export function reasonsEl(reasons: Reasons | null | undefined, score?: number): HTMLElement {
  const r = reasons ?? {};
  const factors = [
    typeof r.relevance === "number" ? `relevance ${decimal(r.relevance)}` : null,
    typeof r.availability === "number" ? `availability ${decimal(r.availability)}` : null,
    typeof r.bridging === "number" ? `bridging ${decimal(r.bridging)}` : null,
  ].filter((f): f is string => f !== null);
  const total = typeof score === "number" ? score : factors.length === 3 ? (r.relevance as number) * (r.availability as number) * (r.bridging as number) : null;
  return h(
    "div",
    { class: "reasons" },
    r.summary ? h("p", { class: "reasons-summary" }, capitalize(r.summary) + ".") : h("p", { class: "meta" }, "No reasons were stored."),
    factors.length || total !== null
      ? h("p", { class: "meta reasons-score" }, total !== null ? `Score ${decimal(total)}` : "", total !== null && factors.length ? " = " : "", factors.join(" × "))
      : null,
    r.added_by_concierge ? h("p", { class: "meta" }, "Added by the concierge.") : null,
  );
}

function capitalize(text: string): string {
  const t = text.trim().replace(/\.$/, "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}
