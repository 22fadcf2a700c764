// Service worker: the app shell works offline (so the manager can record on a plane and the
// upload queue can be seen), and nothing under /api/ is ever cached — answers must be live,
// and dictation audio has its own on-phone store (IndexedDB), not this cache. It also shows
// push notifications (a request for my help, a digest of answers) and opens the app on a tap.

import { notificationFor, parsePushPayload } from "./push/notification";

declare const self: ServiceWorkerGlobalScope;

// Replaced at build time by scripts/sw-plugin.ts with the hashed file names and a hash of them.
const PRECACHE: string[] = JSON.parse("__COAGENT_PRECACHE__") as string[];
const CACHE = "coagent-shell-__COAGENT_CACHE_VERSION__";
const SHELL = "/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      // A new version takes over at once: assets are content-hashed, so pages running the old
      // version keep working from the old files until they reload.
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("coagent-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/healthz" || url.pathname === "/metrics") return;

  if (req.mode === "navigate") {
    // Any page of the app (/, /join?code=…) is the same shell: try the network for a fresh one,
    // fall back to the cached shell when offline.
    event.respondWith(
      fetch(req).catch(async () => (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  // Hashed assets never change under a name: cache first.
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit ?? fetch(req)));
});

self.addEventListener("push", (event) => {
  const note = notificationFor(parsePushPayload(readText(event.data)));
  event.waitUntil(
    self.registration
      .showNotification(note.title, note.options)
      // Open pages refresh their inbox count.
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((pages) => pages.forEach((page) => page.postMessage({ type: "push" }))),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  const url = new URL(typeof data?.url === "string" ? data.url : "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(async (pages) => {
      const page = pages.find((p) => new URL(p.url).origin === self.location.origin);
      if (!page) {
        await self.clients.openWindow(url);
        return;
      }
      await page.focus();
      // The page moves itself (a hash change): a dictation in progress there survives, which a
      // full navigation of the client would not guarantee.
      page.postMessage({ type: "navigate", url });
    }),
  );
});

function readText(data: PushMessageData | null): string | null {
  try {
    return data?.text() ?? null;
  } catch {
    return null;
  }
}
