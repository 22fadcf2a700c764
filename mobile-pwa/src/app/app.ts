// Start-up and the app shell: who is signed in, which screen shows, and the wiring of the
// long-lived parts (dictation, upload queue, network status) that outlive any one screen.

import { createApi, liveUrl, type Session } from "../api/client";
import { startCapture } from "../audio/capture";
import { openBrowserSocket } from "../live/socket";
import { openDb } from "../offline/db";
import { UploadQueue } from "../offline/queue";
import { RecordingStore } from "../offline/store";
import { askDetailView, asksView } from "../ui/asks-view";
import { banner as makeBanner } from "../ui/banner";
import { clear, h } from "../ui/dom";
import { joinView } from "../ui/join-view";
import { messageFor } from "../ui/messages";
import { talkView } from "../ui/talk-view";
import { clearSession, loadSession, saveSession } from "./auth";
import { Dictation } from "./dictation";
import { hrefFor, inviteCodeFrom, parseRoute } from "./routes";

/** How often waiting uploads are retried while online (the server may have been busy). */
const RETRY_MS = 60_000;

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
    root.append(await shell(api));
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

async function shell(api: ReturnType<typeof createApi>): Promise<HTMLElement> {
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
  const dictation = new Dictation({
    api,
    startCapture,
    openSocket: openBrowserSocket,
    liveUrl: liveUrl(),
    store,
    queue,
    isOnline: () => navigator.onLine,
  });

  const talkLink = h("a", { href: hrefFor({ name: "talk" }), "data-testid": "nav-talk" }, "Ask");
  const asksLink = h("a", { href: hrefFor({ name: "asks" }), "data-testid": "nav-asks" }, "My asks");
  const header = h("header", { class: "top" }, h("span", { class: "brand" }, "coagent"), h("nav", { "aria-label": "Main" }, talkLink, asksLink));
  const talk = talkView({ dictation, api, notify });
  const talkScreen = h("div", {}, h("h1", { class: "visually-hidden", tabindex: -1 }, "Ask for help"), talk.el);
  const other = h("div", {});
  const main = h("main", { id: "main" }, notice, talkScreen, other);

  function route() {
    const r = parseRoute(location.hash);
    markCurrent(talkLink, r.name === "talk");
    markCurrent(asksLink, r.name !== "talk");
    // The talk screen stays mounted while hidden, so a dictation carries on across screens.
    talkScreen.hidden = r.name !== "talk";
    other.replaceChildren(r.name === "asks" ? asksView(api) : r.name === "ask" ? askDetailView(api, r.id, notify) : "");
    // Move focus to the new screen's heading so screen readers announce the change.
    const heading = (r.name === "talk" ? talkScreen : other).querySelector<HTMLElement>("h1");
    if (heading && document.activeElement !== document.body) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
  window.addEventListener("hashchange", route);
  route();

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

  return h("div", { class: "app" }, header, bar.el, main);
}

function markCurrent(link: HTMLElement, current: boolean): void {
  if (current) link.setAttribute("aria-current", "page");
  else link.removeAttribute("aria-current");
}
