// Service worker: the app shell works offline (so the manager can record on a plane and the
// upload queue can be seen), and nothing under /api/ is ever cached — answers must be live,
// and dictation audio has its own on-phone store (IndexedDB), not this cache.

// A module, so this `self` (the service worker's own type) shadows the library's plain worker one.
export type {};
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
