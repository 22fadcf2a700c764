// The queue (#/console): every ask by state (tabs with counts), newest first, with a search
// by words (`q`) or by meaning ("similar to", `similar`). A row opens the ask's page.

import type { Queue, QueueItem, QueueState } from "../api/console-types";
import { h } from "../ui/dom";
import type { ConsoleContext } from "./context";
import { consoleHref, QUEUE_STATES } from "./routes";
import { table } from "./table";
import { errorText, stateText, when } from "./words";

export interface QueueParams {
  state: QueueState | "";
  q: string;
  similar: string;
}

type Mode = "q" | "similar";

export function queueView(ctx: ConsoleContext, initial: QueueParams): HTMLElement {
  const params: QueueParams = { ...initial };
  let mode: Mode = params.similar ? "similar" : "q";

  const search = h("input", { id: "queue-search", type: "search", name: "search", autocomplete: "off", "aria-describedby": "queue-search-hint" });
  search.value = params.similar || params.q;
  const hint = h("p", { id: "queue-search-hint", class: "field-hint" });
  const radio = (value: Mode, label: string) => {
    const input = h("input", { type: "radio", name: "queue-mode", id: `queue-mode-${value}`, value });
    input.checked = mode === value;
    input.addEventListener("change", () => {
      mode = value;
      showHint();
    });
    return h("span", { class: "check" }, input, h("label", { for: input.id }, label));
  };
  const clearButton = h("button", { type: "button", class: "secondary" }, "Clear");
  const form = h(
    "form",
    { class: "queue-search", role: "search", "aria-label": "Asks" },
    h("div", { class: "field" }, h("label", { for: search.id }, "Search asks"), search),
    h("fieldset", { class: "modes" }, h("legend", {}, "Match"), radio("q", "All the words"), radio("similar", "Similar to")),
    h("div", { class: "actions start" }, h("button", { type: "submit", class: "primary" }, "Search"), clearButton),
    hint,
  );
  const showHint = () => {
    hint.textContent = mode === "similar" ? "Asks about the same thing, most similar first, even in other words." : "Asks whose transcript, card or tags contain every word.";
  };
  showHint();

  // Tabs: one per state and "All"; arrow keys move between them (the focused one is shown).
  const tabs = new Map<QueueState | "", HTMLButtonElement>();
  const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "Ask states" });
  for (const state of ["", ...QUEUE_STATES] as (QueueState | "")[]) {
    const tab = h("button", { type: "button", role: "tab", id: `queue-tab-${state || "all"}`, "aria-controls": "queue-panel" }, state ? stateText(state) : "All", " ", h("span", { class: "tab-count" }));
    tab.addEventListener("click", () => select(state));
    tabs.set(state, tab);
    tabList.append(tab);
  }
  tabList.addEventListener("keydown", (e) => {
    const order = [...tabs.keys()];
    const at = order.indexOf(params.state);
    const next = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? order.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const state = order[(next + order.length) % order.length] as QueueState | "";
    select(state);
    tabs.get(state)?.focus();
  });

  const status = h("p", { class: "status-left", role: "status" });
  const results = h("div", {});
  const panel = h("div", { id: "queue-panel", role: "tabpanel" }, status, results);
  const refresh = h("button", { type: "button", class: "secondary" }, "Refresh");
  const el = h("section", { class: "queue-view" }, h("div", { class: "row" }, h("h1", {}, "Queue"), refresh), form, tabList, panel);

  function showTabs(counts: Queue["counts"] | null) {
    const total = counts ? QUEUE_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0) : null;
    for (const [state, tab] of tabs) {
      const selected = state === params.state;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const count = state ? counts?.[state] : total;
      (tab.querySelector(".tab-count") as HTMLElement).textContent = typeof count === "number" ? String(count) : "";
    }
    panel.setAttribute("aria-labelledby", tabs.get(params.state)?.id ?? "");
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    ctx.replaceHash(consoleHref({ name: "queue", ...params }));
    clearButton.hidden = !params.q && !params.similar;
    showTabs(null);
    status.textContent = "Loading…";
    results.setAttribute("aria-busy", "true");
    try {
      const queue = await ctx.api.queue({ state: params.state, q: params.q, similar: params.similar });
      if (mine !== seq) return;
      showTabs(queue.counts);
      results.replaceChildren(queue.asks.length ? rows(ctx, queue.asks, Boolean(params.similar)) : h("p", { class: "message" }, emptyText(params)));
      status.textContent = `${queue.asks.length} ${queue.asks.length === 1 ? "ask" : "asks"}${params.state ? ` ${stateText(params.state).toLowerCase()}` : ""}${params.q || params.similar ? " found" : ""}.`;
    } catch (err) {
      if (mine !== seq) return;
      results.replaceChildren();
      status.textContent = errorText(err);
    } finally {
      if (mine === seq) results.setAttribute("aria-busy", "false");
    }
  }

  function select(state: QueueState | "") {
    if (state === params.state) return;
    params.state = state;
    void load();
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = search.value.trim();
    params.q = mode === "q" ? text : "";
    params.similar = mode === "similar" ? text : "";
    void load();
  });
  clearButton.addEventListener("click", () => {
    search.value = "";
    params.q = params.similar = "";
    void load();
    search.focus();
  });
  refresh.addEventListener("click", () => void load());
  void load();
  return el;
}

function emptyText(p: QueueParams): string {
  if (p.q || p.similar) return "No ask matches this search.";
  return p.state ? `No ask is ${stateText(p.state).toLowerCase()} right now.` : "No asks yet.";
}

function rows(ctx: ConsoleContext, asks: QueueItem[], similar: boolean): HTMLElement {
  const headers = ["Ask", "Asker", "Age", "Asked", "Answers", "State", ...(similar ? ["Similarity"] : [])];
  const el = table(
    "Asks",
    headers,
    asks.map((ask) => {
      const text = ask.title || ask.excerpt || ask.summary || "(nothing said)";
      return [
        h(
          "div",
          { class: "ask-cell" },
          h("a", { href: consoleHref({ name: "ask", id: ask.id }), class: ask.title ? "ask-link" : "ask-link excerpt" }, text),
          ask.paused ? h("span", { class: "badge paused" }, "Paused") : null,
        ),
        ask.asker?.name ?? "",
        when(ask.created_at ?? ask.created_at_ms) ?? "",
        String(ask.asked_count ?? 0),
        String(ask.answer_count ?? 0),
        h("span", { class: `badge qstate-${ask.state}` }, stateText(ask.state)),
        ...(similar ? [typeof ask.similarity === "number" ? `${Math.round(ask.similarity * 100)}%` : "—"] : []),
      ];
    }),
    { rowAttrs: (i) => ({ "data-ask-id": asks[i]?.id ?? "", class: "clickable" }) },
  );
  // A click anywhere on a row opens it, as the link in its first cell does.
  el.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    if (target.closest("a, button, input")) return;
    const row = target.closest<HTMLElement>("tr[data-ask-id]");
    if (row?.dataset.askId) ctx.go(consoleHref({ name: "ask", id: row.dataset.askId }));
  });
  return el;
}
