// The joined session, kept across launches. The server's cookie is what authenticates browser
// calls; the token is kept too and sent as a bearer header, so a lost cookie does not sign the
// manager out.

import type { Member, Session } from "../api/client";

const KEY = "coagent.session";

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return parsed.member && typeof parsed.member.id === "string" ? { token: parsed.token ?? "", member: parsed.member as Member } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
