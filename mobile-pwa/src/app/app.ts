// Start-up and the app shell: who is signed in, which screen shows, and the wiring of the
// long-lived parts (dictation, upload queue, network status) that outlive any one screen.

import { createApi, liveUrl, type Api, type Member, type Session } from "../api/client";
import { startCapture } from "../audio/capture";
import { openBrowserSocket } from "../live/socket";
import { openDb } from "../offline/db";
import { UploadQueue } from "../offline/queue";
import { RecordingStore } from "../offline/store";
import { browserPushEnv, pushState } from "../push/env";
import { asksView } from "../ui/asks-view";
import { banner as makeBanner } from "../ui/banner";
import { consoleLink } from "../ui/console-link";
import { clear, h } from "../ui/dom";
import { joinView } from "../ui/join-view";
import { messageFor } from "../ui/messages";
import { bottomNav } from "../ui/nav";
import { talkView } from "../ui/talk-view";
import { clearSession, loadSession, saveSession } from "./auth";
import type { ScreenContext } from "./context";
import { Dictation } from "./dictation";
import { hrefFor, inviteCodeFrom, parseRoute, type Route } from "./routes";

/** How often waiting uploads are retried while online (the server may have been busy). */
const RETRY_MS = 60_000;

/** The network screens, loaded on first visit so the talk screen loads as fast as before. */
const screens = {
  ask: () => import("../ui/ask-page"),
  inbox: () => import("../ui/inbox-view"),
  request: () => import("../ui/request-view"),
  profile: () => import("../ui/profile-view"),
  console: () => import("./console-gate"),
};

export async function startApp(root: HTMLElement): Promise<void> {
  let session: Session | null = loadSession();
  let signedIn = false;
  const api = createApi({
    token: () => session?.token || null,
    onUnauthorized: () => {
      if (!signedIn) return;
      signedIn = false;
      session = null;
      clearSession();
      showJoin(null, messageFor("unauthorized"));
    },
  });

  function showJoin(code: string | null, notice?: string) {
    clear(root);
    root.append(
      joinView({
        code,
        notice,
        join: async (c) => {
          session = await api.join(c);
          saveSession(session);
          // Drop the code from the address bar and history: it was single-use.
          history.replaceState(null, "", `/${hrefFor({ name: "talk" })}`);
          void showMain();
        },
      }),
    );
  }

  async function showMain() {
    signedIn = true;
    clear(root);
    root.append(await shell(api, () => session?.member ?? null));
  }

  const invite = inviteCodeFrom(location);
  if (invite) return showJoin(invite);
  if (!session && navigator.onLine) {
    // No stored session, but the cookie may still be good (site data partly cleared).
    try {
      session = { token: "", member: await api.me() };
      saveSession(session);
    } catch {
      session = null;
    }
  }
  if (session) await showMain();
  else showJoin(null);
}

async function shell(api: Api, me: () => Member | null): Promise<HTMLElement> {
  const notice = h("p", { class: "notice", role: "status", "data-testid": "notice", hidden: true });
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const notify = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (notice.hidden = true), 8000);
  };

  const store = await openDb()
    .then((db) => new RecordingStore(db))
    .catch(() => null); // private mode or storage off: streaming still works
  const queue = store
    ? new UploadQueue({
        store,
        upload: (wav, key) => api.createAudioAsk(wav, key),
        onUploaded: (n) => notify(`${n === 1 ? "Your recording was" : `${n} recordings were`} uploaded. The card is in My asks.`),
      })
    : null;
  const bar = makeBanner(queue);
  const isOnline = () => navigator.onLine;
  const dictation = new Dictation({
    api,
    startCapture,
    openSocket: openBrowserSocket,
    liveUrl: liveUrl(),
    store,
    queue,
    isOnline,
  });

  const nav = bottomNav();
  // GET /me once per start: the console link and the console's gate both go by its role.
  let who: Promise<Member> | null = null;
  const whoami = (): Promise<Member> => {
    who ??= api.me().catch((err: unknown) => {
      who = null; // ask again next time (it was the network)
      throw err;
    });
    return who;
  };
  const header = h("header", { class: "top" }, h("span", { class: "brand" }, "coagent"), consoleLink(whoami, me));
  const talk = talkView({ dictation, api, notify });
  const talkScreen = h("div", {}, h("h1", { class: "visually-hidden", tabindex: -1 }, "Ask for help"), talk.el);
  const other = h("div", {});
  const main = h("main", { id: "main" }, notice, talkScreen, other);
  const app = h("div", { class: "app" });

  const refreshInboxCount = () => {
    // The badge is a hint: a server without the inbox yet, or no network, leaves it as it is.
    api.inbox().then((requests) => nav.setInboxCount(requests.filter((r) => r.state === "open").length), () => {});
  };
  const push = browserPushEnv();
  let leaving: (() => void)[] = [];
  // Built on the first visit to a network screen, with the calls those screens need.
  let context: Promise<ScreenContext> | null = null;
  const screenContext = (): Promise<ScreenContext> => {
    context ??= import("../api/network").then(({ withNetwork }) => ({
      api: withNetwork(api),
      notify,
      me,
      push,
      setInboxCount: (n: number) => nav.setInboxCount(n),
      go: (hash: string) => {
        location.hash = hash;
      },
      onLeave: (fn: () => void) => void leaving.push(fn),
      voice: { startCapture, openSocket: openBrowserSocket, liveUrl: liveUrl(), isOnline },
    }));
    return context.catch((err: unknown) => {
      context = null; // not loaded (offline before it was cached): try again next time
      throw err;
    });
  };

  let shown = 0;
  async function route() {
    const r = parseRoute(location.hash);
    const seq = ++shown;
    for (const fn of leaving) fn();
    leaving = [];
    nav.setCurrent(r);
    // The console is wide and has its own nav (its styles come with it).
    app.toggleAttribute("data-console", r.name === "console");
    // The talk screen stays mounted while hidden, so a dictation carries on across screens.
    talkScreen.hidden = r.name !== "talk";
    const hadFocus = document.activeElement !== document.body;
    let screen: Node | string = "";
    if (r.name !== "talk") {
      other.replaceChildren(h("p", { class: "message", role: "status" }, "Loading…"));
      screen = await render(r).catch(() => h("p", { class: "message error", role: "alert" }, messageFor("screen_unavailable")));
      if (seq !== shown) return; // another screen was asked for meanwhile
    }
    other.replaceChildren(screen);
    // Move focus to the new screen's heading so screen readers announce the change.
    const heading = (r.name === "talk" ? talkScreen : other).querySelector<HTMLElement>("h1");
    if (heading && hadFocus) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  async function render(r: Exclude<Route, { name: "talk" }>): Promise<Node> {
    switch (r.name) {
      case "asks":
        return asksView(api);
      case "ask":
        return (await screens.ask()).askPage(await screenContext(), r.id);
      case "inbox":
        return (await screens.inbox()).inboxView(await screenContext());
      case "request":
        return (await screens.request()).requestView(await screenContext(), r.id);
      case "profile":
        return (await screens.profile()).profileView(await screenContext());
      case "console":
        return (await screens.console()).consoleGate({ api, whoami, me, go: (hash) => void (location.hash = hash), onLeave: (fn) => void leaving.push(fn) }, r.path, r.query);
    }
  }
  window.addEventListener("hashchange", () => void route());
  void route();

  // The service worker: a tapped notification moves this page to its screen; a push that
  // arrived while the page is open refreshes the inbox badge.
  navigator.serviceWorker?.addEventListener("message", (event: MessageEvent<unknown>) => {
    const data = event.data as { type?: unknown; url?: unknown } | null;
    if (data?.type === "push") refreshInboxCount();
    if (data?.type === "navigate" && typeof data.url === "string") {
      const url = new URL(data.url, location.origin);
      if (url.origin !== location.origin) return;
      if (url.pathname === location.pathname && url.search === location.search) location.hash = url.hash;
      else location.assign(url.href);
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshInboxCount();
  });
  refreshInboxCount();
  if (pushState(push) === "granted") {
    // A browser may drop or rotate a subscription, and the server may change its key: every
    // app open hands the current one to the server again.
    void Promise.all([screenContext(), import("../push/subscribe")])
      .then(([ctx, m]) => m.syncPush(ctx.api, push))
      .catch(() => {});
  }

  const setOnline = () => {
    const online = navigator.onLine;
    bar.setOnline(online);
    if (online) {
      dictation.networkBack();
      void queue?.flush();
    } else {
      dictation.networkLost();
    }
  };
  window.addEventListener("online", setOnline);
  window.addEventListener("offline", setOnline);
  bar.setOnline(navigator.onLine);

  if (queue) {
    queue.subscribe((status) => bar.setQueue(status));
    await queue.recoverInterrupted().catch(() => {});
    if (navigator.onLine) void queue.flush();
    setInterval(() => {
      if (navigator.onLine) void queue.flush();
    }, RETRY_MS);
  }

  app.append(header, bar.el, main, nav.el);
  return app;
}

