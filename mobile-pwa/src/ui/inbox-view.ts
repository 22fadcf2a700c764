// Inbox: the requests coagent sent me, newest first, with who asks, how long ago, and where I
// stand; a tap opens the request. A gentle prompt to turn on notifications sits on top until
// they are on.

import "./network.css";
import { ApiError, type InboxRequest } from "../api/client";
import type { ScreenContext } from "../app/context";
import { hrefFor } from "../app/routes";
import { h } from "./dom";
import { requestStateText, timeEl } from "./format";
import { messageFor } from "./messages";
import { notificationsPanel } from "./notifications-panel";

export const EMPTY_INBOX = "No requests for you yet. When a colleague asks something you know about, it appears here.";

export function inboxView(ctx: ScreenContext): HTMLElement {
  const list = h("ul", { class: "asks inbox", "data-testid": "inbox-list", "aria-busy": "true" });
  const message = h("p", { class: "message", role: "status", "data-testid": "inbox-message" }, "Loading your requests…");
  const refresh = h("button", { type: "button", class: "secondary", "data-testid": "inbox-refresh" }, "Refresh");
  const el = h(
    "section",
    { class: "inbox-view", "aria-labelledby": "inbox-heading" },
    h("div", { class: "row" }, h("h1", { id: "inbox-heading" }, "Inbox"), refresh),
    notificationsPanel({ api: ctx.api, env: ctx.push, compact: true }),
    message,
    list,
  );

  async function load() {
    list.setAttribute("aria-busy", "true");
    message.hidden = false;
    message.classList.remove("error");
    message.textContent = "Loading your requests…";
    try {
      const requests = await ctx.api.inbox();
      list.replaceChildren(...requests.map((r) => inboxItem(r)));
      message.hidden = requests.length > 0;
      message.textContent = requests.length ? "" : EMPTY_INBOX;
      ctx.setInboxCount(requests.filter((r) => r.state === "open").length);
    } catch (err) {
      message.classList.add("error");
      message.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }
  refresh.addEventListener("click", () => void load());
  void load();
  return el;
}

export function inboxItem(r: InboxRequest, now = Date.now()): HTMLElement {
  const when = timeEl(r.asked_at, now);
  return h(
    "li",
    { "data-testid": "inbox-item", "data-ask-id": r.ask_id, "data-state": r.state },
    h(
      "a",
      { href: hrefFor({ name: "request", id: r.ask_id }) },
      h("span", { class: "ask-title" }, r.title || "Untitled request"),
      h("span", { class: `badge state-${r.state}`, "data-testid": "inbox-state" }, requestStateText(r.state)),
      h("span", { class: "meta" }, `From ${r.asker?.name || "a colleague"}`, when && " · ", when),
    ),
  );
}
