// My asks: what I asked and where each one stands. Each links to its page (ui/ask-page.ts,
// loaded on demand): a draft opens in the card editor there so it can still be sent.

import { ApiError, type Api, type Ask } from "../api/client";
import { hrefFor } from "../app/routes";
import { h } from "./dom";
import { messageFor } from "./messages";

const STATUS_TEXT: Record<string, string> = {
  draft: "Draft — not sent",
  confirmed: "Sent — finding peers",
  routed: "Peers asked",
  answered: "Answered",
  closed: "Closed",
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? status;
}

export function asksView(api: Api): HTMLElement {
  const list = h("ul", { class: "asks", "data-testid": "asks-list", "aria-busy": "true" });
  const message = h("p", { class: "message", role: "status" }, "Loading your asks…");
  const refresh = h("button", { type: "button", class: "secondary", "data-testid": "asks-refresh" }, "Refresh");
  const el = h("section", { class: "asks-view", "aria-labelledby": "asks-heading" }, h("div", { class: "row" }, h("h1", { id: "asks-heading" }, "My asks"), refresh), message, list);

  async function load() {
    list.setAttribute("aria-busy", "true");
    message.hidden = false;
    message.classList.remove("error");
    message.textContent = "Loading your asks…";
    try {
      const asks = await api.listAsks();
      list.replaceChildren(...asks.map(askItem));
      message.hidden = asks.length > 0;
      message.textContent = asks.length ? "" : "No asks yet. Hold the button on the home screen to make your first one.";
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

function askItem(ask: Ask): HTMLElement {
  const when = ask.created_at ? new Date(ask.created_at) : null;
  return h(
    "li",
    { "data-testid": "ask-item", "data-ask-id": ask.id, "data-status": ask.status },
    h(
      "a",
      { href: hrefFor({ name: "ask", id: ask.id }) },
      h("span", { class: "ask-title" }, ask.card?.title || "Untitled ask"),
      h("span", { class: `badge status-${ask.status}`, "data-testid": "ask-status" }, statusText(ask.status)),
      when && !Number.isNaN(when.getTime()) ? h("time", { datetime: when.toISOString() }, when.toLocaleString()) : null,
    ),
  );
}
