// A scripted stand-in for the HTTP API: routes "METHOD /path" to canned answers and records
// every call, so screen tests can check which endpoints were called with what.

import { vi } from "vitest";
import { createApi } from "../src/api/client";
import { withNetwork, type NetworkApi } from "../src/api/network";
import type { ScreenContext } from "../src/app/context";
import type { PushEnv } from "../src/push/env";

export type Reply = { status?: number; body?: unknown } | ((body: unknown) => { status?: number; body?: unknown });

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

export function fakeBackend(routes: Record<string, Reply>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const path = String(input);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : init?.body;
    calls.push({ method, path, body });
    // An exact "METHOD /path?query" first, else the path without its query.
    const route = routes[`${method} ${path}`] ?? routes[`${method} ${path.split("?")[0]}`];
    if (!route) return new Response(JSON.stringify({ error: { code: "not_found", message: "no route" } }), { status: 404 });
    const reply = typeof route === "function" ? route(body) : route;
    const status = reply.status ?? 200;
    return new Response(reply.body === undefined || status === 204 ? null : JSON.stringify(reply.body), { status });
  });
  const api = withNetwork(createApi({ fetch }));
  return { api, calls, fetch, called: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

export function fakeContext(api: NetworkApi, overrides: Partial<ScreenContext> = {}) {
  const notices: string[] = [];
  const went: string[] = [];
  const leaving: (() => void)[] = [];
  const counts: number[] = [];
  const ctx: ScreenContext = {
    api,
    notify: (t) => notices.push(t),
    me: () => ({ id: "me", name: "Me" }),
    push: {} satisfies PushEnv,
    setInboxCount: (n) => counts.push(n),
    go: (hash) => went.push(hash),
    onLeave: (fn) => leaving.push(fn),
    voice: {
      startCapture: () => Promise.reject(new Error("no microphone in this test")),
      openSocket: () => {
        throw new Error("no socket in this test");
      },
      liveUrl: "ws://test/api/v1/live",
      isOnline: () => true,
    },
    ...overrides,
  };
  return { ctx, notices, went, counts, leave: () => leaving.splice(0).forEach((fn) => fn()) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Waits, a few event-loop turns at a time, until `check` holds. */
export async function until(check: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await settle();
  }
  throw new Error(`${what} never became true`);
}

export const byTestId = <T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T => {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid=${id}]`);
  return el;
};

export const allByTestId = (root: ParentNode, id: string): HTMLElement[] => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
