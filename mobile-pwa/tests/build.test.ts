// Builds the app into a temporary folder and checks what the server will serve: the manifest
// and its icons, the worklet, and a service worker whose offline list names real files and
// which leaves the API alone.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let out = "";

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "coagent-pwa-"));
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "silent", build: { outDir: out, emptyOutDir: true } });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Handler = (event: Record<string, unknown>) => void;

interface FakePage {
  url: string;
  focused: boolean;
  messages: unknown[];
  focus(): Promise<void>;
  postMessage(m: unknown): void;
}

const page = (url: string): FakePage => ({
  url,
  focused: false,
  messages: [],
  async focus() {
    this.focused = true;
  },
  postMessage(m) {
    this.messages.push(m);
  },
});

/** Runs dist/sw.js with just enough of a service worker scope to see what it does. */
function loadServiceWorker(pages: FakePage[] = []) {
  const handlers: Record<string, Handler> = {};
  const cached: string[] = [];
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: "https://app.test" },
    addEventListener: (type: string, fn: Handler) => (handlers[type] = fn),
    skipWaiting: async () => {},
    clients: {
      claim: async () => {},
      matchAll: async () => pages,
      openWindow: async (url: string) => void opened.push(url),
    },
    registration: { showNotification: async (title: string, options: Record<string, unknown>) => void shown.push({ title, options }) },
  };
  const caches = {
    open: async () => ({ addAll: async (urls: string[]) => void cached.push(...urls) }),
    keys: async () => [],
    match: async () => undefined,
  };
  runInNewContext(readFileSync(join(out, "sw.js"), "utf8"), { self, caches, URL, JSON, Promise, Response, fetch: () => Promise.reject(new Error("offline")) });
  return { handlers, cached, shown, opened };
}

/** Fires an extendable event and waits for what it asked to wait for. */
async function fire(handler: Handler | undefined, event: Record<string, unknown>) {
  let pending: Promise<unknown> = Promise.resolve();
  handler?.({ ...event, waitUntil: (p: Promise<unknown>) => (pending = p) });
  await pending;
}

describe("production build", () => {
  it("has an installable manifest whose icons exist at their stated sizes", () => {
    const manifest = JSON.parse(readFileSync(join(out, "manifest.webmanifest"), "utf8")) as {
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest.display).toBe("standalone");
    expect(manifest.start_url).toBe("/");
    const sizes = manifest.icons.map((i) => i.sizes);
    expect(sizes).toContain("192x192");
    expect(sizes).toContain("512x512");
    expect(manifest.icons.some((i) => i.purpose === "maskable")).toBe(true);
    for (const icon of manifest.icons) {
      const png = readFileSync(join(out, icon.src));
      expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain('rel="manifest"');
  });

  it("ships the audio worklet as one self-contained script", () => {
    const worklets = readdirSync(join(out, "assets")).filter((f) => f.startsWith("worklet-") && f.endsWith(".js"));
    expect(worklets).toHaveLength(1);
    const code = readFileSync(join(out, "assets", worklets[0] as string), "utf8");
    expect(code).toContain("registerProcessor");
    expect(code).not.toMatch(/^\s*import[\s{]/m);
  });

  it("precaches every built file and nothing that does not exist", async () => {
    const { handlers, cached } = loadServiceWorker();
    let installed: Promise<unknown> | undefined;
    handlers.install?.({ waitUntil: (p: Promise<unknown>) => (installed = p) });
    await installed;
    expect(cached).toContain("/");
    expect(cached).toContain("/manifest.webmanifest");
    expect(cached.some((u) => /^\/assets\/index-.*\.js$/.test(u))).toBe(true);
    expect(cached.some((u) => /^\/assets\/worklet-.*\.js$/.test(u))).toBe(true);
    for (const url of cached) expect(existsSync(join(out, url === "/" ? "index.html" : url)), url).toBe(true);
    expect(cached).not.toContain("/sw.js");
  });

  it("keeps the console out of the first load and out of members' phones (not precached)", async () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    const entry = /src="\/assets\/(index-[^"]+\.js)"/.exec(html)?.[1] as string;
    const code = readFileSync(join(out, "assets", entry), "utf8");
    expect(code).not.toContain("Ask this peer");
    expect(code).not.toContain("Save curation");
    const assets = readdirSync(join(out, "assets"));
    const consoleFiles = assets.filter((f) => /^(console-app|ask-view|queue-view|members-view|health-view|audit-view|console-gate)-/.test(f));
    expect(consoleFiles.length).toBeGreaterThanOrEqual(7);
    expect(assets.some((f) => /^console-app-.*\.css$/.test(f))).toBe(true);
    const { handlers, cached } = loadServiceWorker();
    let installed: Promise<unknown> | undefined;
    handlers.install?.({ waitUntil: (p: Promise<unknown>) => (installed = p) });
    await installed;
    for (const file of consoleFiles) expect(cached).not.toContain(`/assets/${file}`);
    expect(cached.some((u) => u.includes("ask-view") || u.includes("console-app"))).toBe(false);
    // What members use is still there.
    expect(cached.some((u) => /\/assets\/request-view-/.test(u))).toBe(true);
  });

  it("builds the service worker as one plain script (a worker registered without type: module)", () => {
    const code = readFileSync(join(out, "sw.js"), "utf8");
    expect(code).not.toMatch(/^\s*(import|export)[\s{*]/m);
    expect(code).not.toMatch(/\bimport\(/);
  });

  it("shows a push as a notification tagged by kind and ask", async () => {
    const open = page("https://app.test/#/");
    const { handlers, shown } = loadServiceWorker([open]);
    const payload = { kind: "request", ask_id: "a1", title: "Forklift battery", asker: "Claire Martin", url: "/#/requests/a1" };
    await fire(handlers.push, { data: { text: () => JSON.stringify(payload) } });
    expect(shown).toEqual([
      { title: "Claire asks: Forklift battery", options: expect.objectContaining({ tag: "request-a1", icon: "/icons/icon-192.png", data: { url: "/#/requests/a1" } }) },
    ]);
    // An open page is told, so its inbox badge can refresh.
    expect(open.messages).toEqual([{ type: "push" }]);
    await fire(handlers.push, { data: null });
    expect(shown[1]?.title).toBe("coagent");
  });

  it("a tapped notification focuses an open page and moves it there, or opens one", async () => {
    const open = page("https://app.test/#/asks");
    const withPage = loadServiceWorker([page("https://other.test/"), open]);
    let closed = false;
    const notification = { data: { url: "/#/requests/a1" }, close: () => (closed = true) };
    await fire(withPage.handlers.notificationclick, { notification });
    expect(closed).toBe(true);
    expect(open.focused).toBe(true);
    expect(open.messages).toEqual([{ type: "navigate", url: "https://app.test/#/requests/a1" }]);
    expect(withPage.opened).toEqual([]);

    const none = loadServiceWorker([]);
    await fire(none.handlers.notificationclick, { notification });
    expect(none.opened).toEqual(["https://app.test/#/requests/a1"]);
  });

  it("never answers API requests from the cache", () => {
    const { handlers } = loadServiceWorker();
    const answered: string[] = [];
    const fetchEvent = (url: string, mode = "cors") => ({
      request: { url, method: "GET", mode },
      respondWith: (answer: Promise<unknown>) => {
        answered.push(url);
        answer.catch(() => {}); // no network here; only whether it answered matters
      },
    });
    handlers.fetch?.(fetchEvent("https://app.test/api/v1/asks"));
    handlers.fetch?.(fetchEvent("https://app.test/api/v1/live"));
    handlers.fetch?.(fetchEvent("https://app.test/assets/index-abc.js"));
    handlers.fetch?.(fetchEvent("https://app.test/join?code=x", "navigate"));
    expect(answered).toEqual(["https://app.test/assets/index-abc.js", "https://app.test/join?code=x"]);
  });
});
