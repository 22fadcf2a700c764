// The concierge console's calls (console-contract.md), loaded with the console only: neither
// the talk screen nor the network screens need any of them.

import { API, type Api } from "./client";
import type {
  AuditEntry,
  AuditQuery,
  Candidate,
  CardBody,
  ConsoleAsk,
  ConsoleMember,
  Curation,
  Health,
  Invite,
  InviteRole,
  Queue,
  QueueQuery,
} from "./console-types";
import type { Profile } from "./types";

export type * from "./console-types";

export type ConsoleApi = ReturnType<typeof consoleApi>;

const CONSOLE = `${API}/console`;

/** `?a=1&b=x` from the values that are set (empty strings and undefined are left out). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

const enc = encodeURIComponent;
const askPath = (id: string) => `${CONSOLE}/asks/${enc(id)}`;

export function consoleApi(api: Pick<Api, "call">) {
  const { call } = api;
  return {
    /** The queue: counts by state (respecting `q`, ignoring `state`) and the asks, newest first
     * (or most similar first with `similar`). */
    async queue(params: QueueQuery = {}): Promise<Queue> {
      const body = await call<Partial<Queue>>("GET", `${CONSOLE}/asks${query({ state: params.state, q: params.q?.trim(), similar: params.similar?.trim(), limit: params.limit })}`);
      return { counts: body?.counts ?? {}, asks: Array.isArray(body?.asks) ? body.asks : [] };
    },

    ask(id: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("GET", askPath(id));
    },

    // Every steering call answers with the whole ask page view.
    saveCard(id: string, card: CardBody): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("PUT", `${askPath(id)}/card`, card);
    },
    pause(id: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("POST", `${askPath(id)}/pause`);
    },
    resume(id: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("POST", `${askPath(id)}/resume`);
    },
    async ranking(id: string): Promise<Candidate[]> {
      const body = await call<{ candidates?: Candidate[] }>("GET", `${askPath(id)}/ranking`);
      return Array.isArray(body?.candidates) ? body.candidates : [];
    },
    addRequest(id: string, memberId: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("POST", `${askPath(id)}/requests`, { member_id: memberId });
    },
    withdraw(id: string, memberId: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("DELETE", `${askPath(id)}/requests/${enc(memberId)}`);
    },
    curate(id: string, curation: Curation): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("PUT", `${askPath(id)}/digest`, curation);
    },
    sendDigest(id: string): Promise<ConsoleAsk> {
      return call<ConsoleAsk>("POST", `${askPath(id)}/digest/send`);
    },

    async members(): Promise<ConsoleMember[]> {
      const body = await call<{ members?: ConsoleMember[] }>("GET", `${CONSOLE}/members`);
      return Array.isArray(body?.members) ? body.members : [];
    },
    invite(name: string, role: InviteRole): Promise<Invite> {
      return call<Invite>("POST", `${CONSOLE}/invites`, { name, role });
    },
    deactivate(id: string): Promise<ConsoleMember> {
      return call<ConsoleMember>("POST", `${CONSOLE}/members/${enc(id)}/deactivate`);
    },
    reactivate(id: string): Promise<ConsoleMember> {
      return call<ConsoleMember>("POST", `${CONSOLE}/members/${enc(id)}/reactivate`);
    },
    /** Same body and validation as `PUT /me/profile`; a 422 names the field in its message. */
    saveMemberProfile(id: string, profile: Profile): Promise<unknown> {
      return call<unknown>("PUT", `${CONSOLE}/members/${enc(id)}/profile`, profile);
    },

    health(weeks = 12): Promise<Health> {
      return call<Health>("GET", `${CONSOLE}/health${query({ weeks })}`);
    },

    /** Newest first; `before_ms` pages back. */
    async audit(params: AuditQuery = {}): Promise<AuditEntry[]> {
      const body = await call<{ entries?: AuditEntry[] }>("GET", `${CONSOLE}/audit${query({ ...params })}`);
      return Array.isArray(body?.entries) ? body.entries : [];
    },
  };
}
