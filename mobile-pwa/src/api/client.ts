// Every HTTP call the app makes, in one place, so a change in the server's shapes is a change
// here only. Paths and bodies follow DESIGN.md "Contract for outside clients (v1)"; where the
// contract leaves a shape open, the assumption is written next to the call.

import type { Card } from "../live/protocol";
import type { AskDetail, InboxRequest, Me } from "./types";

export type * from "./types";

export type AskStatus = "draft" | "confirmed" | "routed" | "answered" | "closed";

export interface Member {
  id: string;
  name?: string;
  role?: string;
}

export interface Session {
  token: string;
  member: Member;
}

export interface Ask {
  id: string;
  status: AskStatus | string;
  card: Partial<Card>;
  created_at?: string;
}

export interface CardEdits {
  title: string;
  summary: string;
  help_needed: string;
  /** May the asked peers listen to the original recording (contract-network.md; default off). */
  share_audio?: boolean;
}

/** A failed call. `code` is the server's snake_case code, or one of ours:
 * `network` (no answer at all), `bad_response` (an answer we could not read). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** Worth trying again later: no network, the server busy or briefly broken. */
  get retryable(): boolean {
    return this.code === "network" || this.code === "busy" || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export const API = "/api/v1";
export const LIVE_PATH = `${API}/live`;

/** ws(s)://host/api/v1/live for the page's own origin. */
export function liveUrl(loc: { protocol: string; host: string } = location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}${LIVE_PATH}`;
}

export interface ApiOptions {
  /** Origin prefix; empty in the app (same origin), a full origin in tests. */
  base?: string;
  fetch?: typeof fetch;
  /** The bearer token from joining, sent alongside the cookie in case the cookie is gone
   * (storage cleared by the browser, a webview that drops third-party-looking cookies). */
  token?: () => string | null;
  /** Called on 401 so the app can ask for the invite link again. */
  onUnauthorized?: () => void;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(opts: ApiOptions = {}) {
  const base = opts.base ?? "";
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
    const token = opts.token?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, body: payload, credentials: "same-origin" });
    } catch {
      throw new ApiError(0, "network", "No network connection.");
    }
    const text = await res.text().catch(() => "");
    const json = parseJson(text);
    if (!res.ok) {
      if (res.status === 401) opts.onUnauthorized?.();
      const err = errorBody(json);
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText);
    }
    if (json === undefined && text !== "") throw new ApiError(res.status, "bad_response", "The server sent an answer the app cannot read.");
    return json as T;
  }

  return {
    /** Any call, for the network screens' own calls (api/network.ts, loaded with them). */
    call,

    /** `POST /api/v1/sessions {"invite_code"}` → `{"token", "member"}`; the server also sets
     * the session cookie. */
    join(inviteCode: string): Promise<Session> {
      return call<Session>("POST", `${API}/sessions`, { invite_code: inviteCode });
    },

    /** `GET /api/v1/me`: who this session belongs to (checks the session is still valid), with
     * their profile once the server has one. */
    me(): Promise<Me> {
      return call<Me>("GET", `${API}/me`);
    },

    /** `GET /api/v1/inbox`: requests sent to me, newest first. */
    async inbox(): Promise<InboxRequest[]> {
      const body = await call<{ requests?: InboxRequest[] }>("GET", `${API}/inbox`);
      return Array.isArray(body?.requests) ? body.requests : [];
    },

    /** Assumed `GET /api/v1/asks` → `{"asks": [Ask]}`, newest first. */
    async listAsks(): Promise<Ask[]> {
      const body = await call<{ asks?: Ask[] }>("GET", `${API}/asks`);
      return Array.isArray(body?.asks) ? body.asks : [];
    },

    /** The asker's (or a concierge's) full view, or an asked peer's reduced one. */
    getAsk(id: string): Promise<AskDetail> {
      return call<AskDetail>("GET", askPath(id));
    },

    /** `POST /api/v1/asks {"text"}`: a typed ask; assumed to answer with the draft Ask and its
     * card. */
    createTextAsk(text: string): Promise<Ask> {
      return call<Ask>("POST", `${API}/asks`, { text });
    },

    /** `POST /api/v1/asks` with the audio as a file: assumed multipart/form-data with one part
     * named `audio` (a WAV file). `Idempotency-Key` lets a server that supports it ignore a
     * repeat upload whose first answer was lost to a dropped connection. */
    createAudioAsk(wav: Blob, idempotencyKey: string): Promise<Ask> {
      const form = new FormData();
      form.append("audio", wav, "recording.wav");
      return call<Ask>("POST", `${API}/asks`, form, { "Idempotency-Key": idempotencyKey });
    },

    /** `POST /api/v1/asks/{id}/confirm` with the manager's edits (and `share_audio`); routing
     * starts here. The answer's body is not needed (the asks list shows the new status). */
    async confirmAsk(id: string, edits: CardEdits): Promise<void> {
      await call<unknown>("POST", `${askPath(id)}/confirm`, edits);
    },
  };
}

export function askPath(id: string): string {
  return `${API}/asks/${encodeURIComponent(id)}`;
}

/** The original recording, for an `<audio>` element (the cookie authenticates it). */
export function askAudioUrl(id: string): string {
  return `${askPath(id)}/audio`;
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorBody(json: unknown): { code: string; message: string } | null {
  if (typeof json !== "object" || json === null) return null;
  const err = (json as { error?: unknown }).error;
  if (typeof err !== "object" || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof code === "string" ? { code, message: typeof message === "string" ? message : "" } : null;
}
