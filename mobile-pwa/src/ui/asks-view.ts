// My asks: what I asked and where each one stands. A draft (a card never sent, or one made from
// an uploaded recording) opens in the card editor so it can still be sent.

import { ApiError, type Api, type Ask } from "../api/client";
import { hrefFor } from "../app/routes";
import { cardEditor } from "./card-editor";
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

/** One ask: editable while a draft, read-only after. */
export function askDetailView(api: Api, id: string, notify: (text: string) => void): HTMLElement {
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "message", role: "status" }, "Loading…"));
  const el = h("section", { class: "ask-view" }, h("a", { href: hrefFor({ name: "asks" }), class: "back" }, "← My asks"), body);

  api.getAsk(id).then(
    (ask) => {
      body.setAttribute("aria-busy", "false");
      const card = { title: ask.card?.title ?? "", summary: ask.card?.summary ?? "", help_needed: ask.card?.help_needed ?? "", tags: ask.card?.tags ?? [] };
      if (ask.status === "draft") {
        const editor = cardEditor({
          onSend: async (edits) => {
            try {
              await api.confirmAsk(ask.id, edits);
            } catch (err) {
              throw new Error(err instanceof ApiError ? messageFor(err.code, err.message) : String(err));
            }
            notify("Sent. coagent is finding the peers most likely to help.");
            location.hash = hrefFor({ name: "asks" });
          },
          onDiscard: () => {
            location.hash = hrefFor({ name: "asks" });
          },
          discardLabel: "Not now",
        });
        body.replaceChildren(editor.el);
        editor.ready(card);
      } else {
        body.replaceChildren(
          h(
            "article",
            { class: "card", "data-testid": "card" },
            h("h1", { "data-testid": "card-title" }, card.title || "Untitled ask"),
            h("p", { class: `badge status-${ask.status}`, "data-testid": "ask-status" }, statusText(ask.status)),
            h("p", { "data-testid": "card-summary" }, card.summary),
            card.help_needed ? h("p", { "data-testid": "card-help" }, h("strong", {}, "Help asked: "), card.help_needed) : null,
            h("ul", { class: "tags", "data-testid": "card-tags" }, ...card.tags.map((t) => h("li", {}, t))),
          ),
        );
      }
    },
    (err: unknown) => {
      body.setAttribute("aria-busy", "false");
      body.replaceChildren(h("p", { class: "message error", role: "alert" }, err instanceof ApiError ? messageFor(err.code, err.message) : String(err)));
    },
  );
  return el;
}
