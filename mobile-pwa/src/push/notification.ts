// What a push message becomes on the lock screen. Pure, so it is tested without a service
// worker; only src/sw.ts imports it (an import from the app too would make the build share a
// chunk with the service worker, which must stay one plain script).
//
// Payloads (contract-network.md), no sensitive text in them:
//   {"kind":"request","ask_id","title","asker":"Claire Martin","url":"/#/requests/<id>"}
//   {"kind":"digest","ask_id","title","url":"/#/asks/<id>"}

export interface PushPayload {
  kind: "request" | "digest" | string;
  ask_id?: string;
  title?: string;
  asker?: string;
  url?: string;
}

export interface ShownNotification {
  title: string;
  options: {
    body: string;
    icon: string;
    /** kind + ask id: a repeated push for the same ask replaces the old notification. */
    tag: string;
    lang: string;
    data: { url: string };
  };
}

export const ICON = "/icons/icon-192.png";
const MAX_TITLE = 80;

/** Reads the push data's text; anything unreadable still yields a generic notification (a
 * push with userVisibleOnly must always show one). */
export function parsePushPayload(text: string | null | undefined): PushPayload {
  try {
    const raw: unknown = JSON.parse(text ?? "");
    if (typeof raw === "object" && raw !== null) {
      const m = raw as Record<string, unknown>;
      const str = (k: string) => (typeof m[k] === "string" ? (m[k] as string) : undefined);
      return { kind: str("kind") ?? "", ask_id: str("ask_id"), title: str("title"), asker: str("asker"), url: str("url") };
    }
  } catch {
    // fall through
  }
  return { kind: "" };
}

export function notificationFor(p: PushPayload): ShownNotification {
  const title = shorten((p.title ?? "").trim());
  const id = p.ask_id ?? "";
  if (p.kind === "request") {
    const who = firstName(p.asker) || "A colleague";
    return shown(title ? `${who} asks: ${title}` : `${who} asks for your help`, "Tap to read it and answer by voice or text, or pass.", `request-${id}`, safeUrl(p.url, id ? `/#/requests/${encodeURIComponent(id)}` : "/#/inbox"));
  }
  if (p.kind === "digest") {
    return shown(title ? `Your answers are in: ${title}` : "Your answers are in", "Tap to read what your peers said.", `digest-${id}`, safeUrl(p.url, id ? `/#/asks/${encodeURIComponent(id)}` : "/#/asks"));
  }
  return shown("coagent", "Something new is waiting for you.", `other-${id}`, safeUrl(p.url, "/"));
}

function shown(title: string, body: string, tag: string, url: string): ShownNotification {
  return { title, options: { body, icon: ICON, tag, lang: "en", data: { url } } };
}

/** "Claire Martin" → "Claire": the title has little room. */
function firstName(name: string | undefined): string {
  return (name ?? "").trim().split(/\s+/)[0] ?? "";
}

function shorten(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1).trimEnd()}…` : text;
}

/** Only a path on this site: a payload must not be able to send the phone elsewhere. */
export function safeUrl(url: string | undefined, fallback: string): string {
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : fallback;
}
