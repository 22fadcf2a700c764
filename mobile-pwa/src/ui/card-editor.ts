// The problem card as the manager sees it: first filling in while the summary streams, then
// editable (title, summary, help asked) with Send and Discard. Used after a dictation and for a
// draft opened from My asks.

import type { CardEdits } from "../api/client";
import type { Card } from "../live/protocol";
import { h } from "./dom";

export interface CardEditorOptions {
  onSend(edits: CardEdits): Promise<void>;
  onDiscard(): void;
  /** "Discard" after a dictation; "Not now" for a draft opened from My asks, which stays. */
  discardLabel?: string;
  /** Offer "Let peers hear my recording" (not for a typed ask: there is none). */
  canShareAudio?: boolean;
}

export interface CardEditor {
  el: HTMLElement;
  /** Summary text as it streams, before the card is complete. */
  streaming(summarySoFar: string): void;
  /** The finished card: fields become editable. */
  ready(card: Card): void;
  /** "The network may already know" (ui/similar-asks.ts), shown under the card. */
  setSimilar(el: HTMLElement): void;
}

let uid = 0;

export function cardEditor(opts: CardEditorOptions): CardEditor {
  const id = `card-${++uid}`;
  const title = h("input", { id: `${id}-title`, type: "text", "data-testid": "card-title", maxlength: 200, autocomplete: "off" });
  const summary = h("textarea", { id: `${id}-summary`, rows: 5, "data-testid": "card-summary" });
  const help = h("textarea", { id: `${id}-help`, rows: 3, "data-testid": "card-help" });
  const tags = h("ul", { class: "tags", "data-testid": "card-tags", "aria-label": "Tags" });
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const send = h("button", { type: "submit", class: "primary", "data-testid": "send-button" }, "Send to peers");
  const discard = h("button", { type: "button", class: "secondary", "data-testid": "discard-button" }, opts.discardLabel ?? "Discard");
  const status = h("p", { class: "card-status", role: "status" }, "Writing your card…");
  // Off by default: the recording may say more than the card does.
  const shareAudio = h("input", { id: `${id}-share`, type: "checkbox", "data-testid": "share-audio" });
  const share = h("div", { class: "check", hidden: opts.canShareAudio === false }, shareAudio, h("label", { for: `${id}-share` }, "Let peers hear my recording"));
  const similarSlot = h("div", {});

  const form = h(
    "form",
    { class: "card", "data-testid": "card", "aria-labelledby": `${id}-heading`, "aria-busy": "true" },
    h("h2", { id: `${id}-heading` }, "Your problem card"),
    status,
    field(`${id}-title`, "Title", title),
    field(`${id}-summary`, "Summary", summary),
    field(`${id}-help`, "Help you are asking for", help),
    tags,
    similarSlot,
    share,
    error,
    h("div", { class: "actions" }, discard, send),
  );

  const setEditable = (editable: boolean) => {
    for (const input of [title, summary, help]) input.readOnly = !editable;
    shareAudio.disabled = !editable;
    send.disabled = !editable;
  };
  setEditable(false);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const edits: CardEdits = {
      title: title.value.trim(),
      summary: summary.value.trim(),
      help_needed: help.value.trim(),
      share_audio: !share.hidden && shareAudio.checked,
    };
    if (!edits.title || !edits.summary) {
      showError(!edits.title ? "Please give your card a title." : "Please keep a short summary.");
      (!edits.title ? title : summary).focus();
      return;
    }
    error.hidden = true;
    setEditable(false);
    discard.disabled = true;
    send.textContent = "Sending…";
    try {
      await opts.onSend(edits);
    } catch (err) {
      showError(err instanceof Error ? err.message : String(err));
      setEditable(true);
      discard.disabled = false;
      send.textContent = "Send to peers";
    }
  });
  discard.addEventListener("click", () => opts.onDiscard());

  function showError(text: string) {
    error.textContent = text;
    error.hidden = false;
  }

  return {
    el: form,
    streaming(summarySoFar) {
      summary.value = summarySoFar;
    },
    ready(card) {
      title.value = card.title;
      summary.value = card.summary;
      help.value = card.help_needed;
      tags.replaceChildren(...card.tags.map((t) => h("li", {}, t)));
      status.textContent = "Check the card, correct anything, then send it. Nothing goes out before you send.";
      form.setAttribute("aria-busy", "false");
      setEditable(true);
      title.focus();
    },
    setSimilar(el) {
      similarSlot.replaceChildren(el);
    },
  };
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}
