// Small words shared by the network screens: how old something is, what a request's state means.

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function ago(iso: string | undefined, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return "";
  const min = Math.floor((now - t) / 60_000);
  if (min < 1) return "just now";
  if (min < 60) return `${min} min ago`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return new Date(t).toLocaleDateString();
}

/** A `<time>` with the age as text and the exact moment in its title. */
export function timeEl(iso: string | undefined, now = Date.now()): HTMLTimeElement | null {
  const text = ago(iso, now);
  if (!text || !iso) return null;
  const el = document.createElement("time");
  el.dateTime = iso;
  el.title = new Date(iso).toLocaleString();
  el.textContent = text;
  return el;
}

const REQUEST_STATE: Record<string, string> = {
  open: "Waiting for you",
  answered: "Answered",
  passed: "Passed",
  referred: "Referred",
};

/** A request's state as the peer reads it in the inbox. */
export function requestStateText(state: string): string {
  return REQUEST_STATE[state] ?? state;
}

const PEER_STATE: Record<string, string> = {
  open: "Not answered yet",
  answered: "Answered",
  passed: "Passed",
  referred: "Referred a colleague",
};

/** An asked peer's state as the asker reads it. */
export function peerStateText(state: string): string {
  return PEER_STATE[state] ?? state;
}
