// The problem card, read and edited in place: "Edit card" turns it into a form, "Save card"
// sends PUT /card (the asker then sees that the concierge edited it).

import type { CardBody, ConsoleAsk } from "../api/console-types";
import { h } from "../ui/dom";
import type { AskSection, Steer } from "./ask-view";
import type { ConsoleContext } from "./context";
import { when } from "./words";

/** "forklift, battery ,, Forklift" → ["forklift", "battery"]: trimmed, no empties, no repeats. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

export function cardSection(ctx: ConsoleContext, steer: Steer): AskSection {
  let ask: ConsoleAsk | null = null;
  const view = h("div", { class: "card-read" });
  const markers = h("div", { class: "card-markers" });
  const edit = h("button", { type: "button", class: "secondary" }, "Edit card");
  const status = h("p", { class: "status-left", role: "status" });

  const title = h("input", { id: "cc-title", type: "text", maxlength: 200, autocomplete: "off" });
  const summary = h("textarea", { id: "cc-summary", rows: 5 });
  const help = h("textarea", { id: "cc-help", rows: 3 });
  const tags = h("input", { id: "cc-tags", type: "text", autocomplete: "off", "aria-describedby": "cc-tags-hint" });
  const save = h("button", { type: "submit", class: "primary" }, "Save card");
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const form = h(
    "form",
    { class: "card-form", "aria-label": "Edit the card", novalidate: true, hidden: true },
    field("cc-title", "Title", title),
    field("cc-summary", "Summary", summary),
    field("cc-help", "Help needed", help),
    h("div", { class: "field" }, h("label", { for: "cc-tags" }, "Tags"), h("p", { class: "field-hint", id: "cc-tags-hint" }, "Separated by commas."), tags),
    error,
    h("div", { class: "actions start" }, save, cancel),
  );

  const editing = (on: boolean) => {
    form.hidden = !on;
    view.hidden = on;
    edit.hidden = on;
    error.hidden = true;
  };
  edit.addEventListener("click", () => {
    const card = ask?.card;
    title.value = card?.title ?? "";
    summary.value = card?.summary ?? "";
    help.value = card?.help_needed ?? "";
    tags.value = (card?.tags ?? []).join(", ");
    status.textContent = "";
    editing(true);
    title.focus();
  });
  cancel.addEventListener("click", () => {
    editing(false);
    edit.focus();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!ask) return;
    const body: CardBody = { title: title.value.trim(), summary: summary.value.trim(), help_needed: help.value.trim(), tags: parseTags(tags.value) };
    if (!body.title) {
      error.textContent = "Give the card a title.";
      error.hidden = false;
      title.setAttribute("aria-invalid", "true");
      title.focus();
      return;
    }
    title.removeAttribute("aria-invalid");
    const id = ask.id;
    save.disabled = true;
    save.textContent = "Saving…";
    const failed = await steer(() => ctx.api.saveCard(id, body));
    save.disabled = false;
    save.textContent = "Save card";
    if (failed) {
      error.textContent = failed;
      error.hidden = false;
      return;
    }
    editing(false);
    status.textContent = "Card saved. The asker will see that the concierge edited it.";
    edit.focus();
  });

  const el = h(
    "section",
    { class: "console-panel", "aria-labelledby": "card-heading" },
    h("div", { class: "row" }, h("h2", { id: "card-heading" }, "Card"), edit),
    markers,
    view,
    form,
    status,
  );
  return {
    el,
    update(next) {
      ask = next;
      const card = next.card;
      view.replaceChildren(
        card
          ? h(
              "dl",
              { class: "card-fields" },
              h("dt", {}, "Title"),
              h("dd", {}, card.title || "—"),
              h("dt", {}, "Summary"),
              h("dd", {}, card.summary || "—"),
              h("dt", {}, "Help needed"),
              h("dd", {}, card.help_needed || "—"),
              h("dt", {}, "Tags"),
              h("dd", {}, card.tags?.length ? h("ul", { class: "tags", "aria-label": "Tags" }, ...card.tags.map((t) => h("li", {}, t))) : "—"),
            )
          : h("p", { class: "meta" }, "No card yet: the summary has not been written."),
      );
      const edited = when(next.concierge_edited_at);
      markers.replaceChildren(
        ...[
          next.concierge_edited_at ? h("p", { class: "badge edited" }, "Edited by the concierge", edited ? " " : "", edited ?? "") : null,
          next.card_edited_by_asker ? h("p", { class: "badge" }, "Corrected by the asker") : null,
        ].filter((n): n is HTMLParagraphElement => n !== null),
      );
    },
  };
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}
