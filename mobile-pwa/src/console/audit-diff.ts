// An audit entry's before and after, reduced to what changed, and its action in words.

export interface Change {
  /** Dotted for nested values: "contact.email", "quiet_hours.start". */
  key: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (isObject(value) && Object.keys(value).length) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) out.set(prefix, value);
}

/** The keys whose value differs between before and after (nested objects compared key by key),
 * in the order they first appear. A snapshot that is not an object counts as one value. */
export function changes(before: unknown, after: unknown): Change[] {
  if (!isObject(before) && !isObject(after)) {
    if (before == null && after == null) return [];
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ key: "", before, after }];
  }
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(isObject(before) ? before : {}, "", a);
  flatten(isObject(after) ? after : {}, "", b);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.filter((k) => JSON.stringify(a.get(k) ?? null) !== JSON.stringify(b.get(k) ?? null)).map((key) => ({ key, before: a.get(key), after: b.get(key) }));
}

const MAX = 160;

/** A value as a person reads it: quoted text, "yes"/"no", lists joined, "(none)". */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return "(none)";
  if (typeof v === "string") return v === "" ? "(empty)" : `“${v.length > MAX ? `${v.slice(0, MAX)}…` : v}”`;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ") : "(none)";
  const text = JSON.stringify(v);
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

/** "help_needed" → "help needed", "contact.email" → "contact email". */
export function keyText(key: string): string {
  return key.replace(/[_.]/g, " ");
}

const ACTIONS: Record<string, string> = {
  "card.edit": "edited the card",
  "ask.pause": "paused the ask",
  "ask.resume": "resumed the ask",
  "request.add": "asked a peer by hand",
  "request.withdraw": "withdrew a request",
  "digest.curate": "curated the digest",
  "digest.send": "sent the digest",
  "invite.create": "created an invite",
  "member.deactivate": "deactivated a member",
  "member.reactivate": "reactivated a member",
  "profile.edit": "edited a profile",
};

export function actionText(action: string): string {
  return ACTIONS[action] ?? action;
}
