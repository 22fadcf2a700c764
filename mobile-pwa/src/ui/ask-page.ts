// One of my asks (#/asks/ID). A draft opens in the card editor so it can still be sent; after
// that it is the return trip: the digest on top, the card and its status, who was asked, and
// each answer with "Helpful" / "Not helpful" and "Contact directly" (call, message, email).

import "./network.css";
import { ApiError, type Answer, type AskDetail, type AskedPeer, type ContactChannel } from "../api/client";
import type { ScreenContext } from "../app/context";
import { hrefFor } from "../app/routes";
import { statusText } from "./asks-view";
import { cardEditor } from "./card-editor";
import { h } from "./dom";
import { peerStateText, timeEl } from "./format";
import { messageFor } from "./messages";
import { similarAsks } from "./similar-asks";

export interface AskPageOptions {
  /** Opens a tel:/sms:/mailto: link (a test records it instead). */
  openLink?(href: string): void;
}

const errorText = (err: unknown) => (err instanceof ApiError ? messageFor(err.code, err.message) : String(err));

export function askPage(ctx: ScreenContext, id: string, opts: AskPageOptions = {}): HTMLElement {
  // Present from the start, only its text changes: the focus the shell gives it stays put.
  const heading = h("h1", { tabindex: -1 }, "Your ask");
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "message", role: "status" }, "Loading…"));
  const el = h("section", { class: "ask-view" }, h("a", { href: hrefFor({ name: "asks" }), class: "back" }, "← My asks"), heading, body);

  const load = () =>
    ctx.api.getAsk(id).then(
      (ask) => {
        body.setAttribute("aria-busy", "false");
        if (ask.status === "draft") {
          heading.textContent = "Your draft — not sent yet";
          body.replaceChildren(...draft(ctx, ask));
        } else {
          heading.textContent = ask.card?.title || "Untitled ask";
          heading.dataset.testid = "card-title";
          body.replaceChildren(...sent(ctx, ask, load, opts));
        }
      },
      (err: unknown) => {
        body.setAttribute("aria-busy", "false");
        body.replaceChildren(h("p", { class: "message error", role: "alert" }, errorText(err)));
      },
    );
  void load();
  return el;
}

function draft(ctx: ScreenContext, ask: AskDetail): Node[] {
  const card = { title: ask.card?.title ?? "", summary: ask.card?.summary ?? "", help_needed: ask.card?.help_needed ?? "", tags: ask.card?.tags ?? [] };
  const editor = cardEditor({
    onSend: async (edits) => {
      try {
        await ctx.api.confirmAsk(ask.id, edits);
      } catch (err) {
        throw new Error(errorText(err));
      }
      ctx.notify("Sent. coagent is finding the peers most likely to help.");
      ctx.go(hrefFor({ name: "asks" }));
    },
    onDiscard: () => ctx.go(hrefFor({ name: "asks" })),
    discardLabel: "Not now",
  });
  editor.ready(card);
  editor.setSimilar(similarAsks(ctx.api, ask.id));
  return [conciergeNote(ask), editor.el].filter((n): n is HTMLElement => n !== null);
}

function sent(ctx: ScreenContext, ask: AskDetail, reload: () => void, opts: AskPageOptions): Node[] {
  const card = ask.card ?? {};
  const answers = Array.isArray(ask.answers) ? ask.answers : [];
  const asked = (Array.isArray(ask.asked) ? ask.asked : []).slice().sort((a, b) => a.rank - b.rank);
  const openLink = opts.openLink ?? ((href: string) => (location.href = href));

  const digest = ask.digest?.text
    ? h(
        "section",
        { class: "digest", "data-testid": "digest", "aria-labelledby": "digest-heading" },
        h("h2", { id: "digest-heading" }, "What your peers said"),
        h("p", { class: "digest-text" }, ask.digest.text),
        ask.digest.sent_at ? h("p", { class: "meta" }, "Summed up ", timeEl(ask.digest.sent_at)) : null,
      )
    : null;

  const close = h("button", { type: "button", class: "link", "data-testid": "close-ask" }, "No more answers needed — close this ask");
  close.hidden = ask.status === "closed";
  close.addEventListener("click", async () => {
    close.disabled = true;
    try {
      await ctx.api.closeAsk(ask.id);
      ctx.notify("Closed. No one else will be asked.");
      reload();
    } catch (err) {
      ctx.notify(errorText(err));
      close.disabled = false;
    }
  });

  const article = h(
    "article",
    { class: "card", "data-testid": "card" },
    h("p", { class: `badge status-${ask.status}`, "data-testid": "ask-status" }, statusText(ask.status)),
    h("p", { "data-testid": "card-summary" }, card.summary ?? ""),
    card.help_needed ? h("p", { "data-testid": "card-help" }, h("strong", {}, "Help asked: "), card.help_needed) : null,
    h("ul", { class: "tags", "data-testid": "card-tags", "aria-label": "Tags" }, ...(card.tags ?? []).map((t) => h("li", {}, t))),
    ask.share_audio ? h("p", { class: "meta" }, "Peers can listen to your recording.") : null,
    conciergeNote(ask),
  );

  const askedList = asked.length
    ? h(
        "section",
        { "aria-labelledby": "asked-heading" },
        h("h2", { id: "asked-heading" }, "Who was asked"),
        h("ol", { class: "asked", "data-testid": "asked-list" }, ...asked.map(askedItem)),
      )
    : null;

  const answerList = h(
    "section",
    { "aria-labelledby": "answers-heading" },
    h("h2", { id: "answers-heading" }, answers.length ? `Answers (${answers.length})` : "Answers"),
    answers.length
      ? h("ul", { class: "answers", "data-testid": "answers-list" }, ...answers.map((a) => answerItem(ctx, ask.id, a, openLink)))
      : h("p", { class: "message", "data-testid": "no-answers" }, ask.status === "closed" ? "No answers came in." : "No answers yet. You will get a notification when they come in."),
  );

  return [digest, article, askedList, answerList, close].filter((n): n is HTMLElement => n !== null);
}

function conciergeNote(ask: AskDetail): HTMLElement | null {
  return ask.edited_by_concierge ? h("p", { class: "meta", "data-testid": "concierge-edited" }, "The concierge edited this card") : null;
}

function askedItem(peer: AskedPeer): HTMLElement {
  return h(
    "li",
    { "data-testid": "asked-item", "data-state": peer.state, value: peer.rank },
    h("span", { class: "ask-title" }, peer.name),
    h("span", { class: `badge state-${peer.state}` }, peerStateText(peer.state)),
    peer.reasons?.summary ? h("span", { class: "meta" }, peer.reasons.summary) : null,
  );
}

function answerItem(ctx: ScreenContext, askId: string, answer: Answer, openLink: (href: string) => void): HTMLElement {
  const name = answer.author?.name || "A colleague";
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const fail = (err: unknown) => {
    error.textContent = errorText(err);
    error.hidden = false;
  };

  // Helpful / Not helpful: two toggle buttons; the pressed one is the rating the server has.
  let rating = answer.helpful;
  const yes = h("button", { type: "button", class: "toggle", "data-testid": "helpful-button" }, "Helpful");
  const no = h("button", { type: "button", class: "toggle", "data-testid": "not-helpful-button" }, "Not helpful");
  const showRating = () => {
    yes.setAttribute("aria-pressed", String(rating === true));
    no.setAttribute("aria-pressed", String(rating === false));
  };
  const rate = async (helpful: boolean) => {
    if (rating === helpful) return;
    const before = rating;
    rating = helpful;
    showRating();
    error.hidden = true;
    try {
      await ctx.api.feedback(askId, answer.id, helpful);
    } catch (err) {
      rating = before;
      showRating();
      fail(err);
    }
  };
  yes.addEventListener("click", () => void rate(true));
  no.addEventListener("click", () => void rate(false));
  showRating();

  const channels: [ContactChannel, string, boolean][] = [
    ["call", "Call", Boolean(answer.contact?.phone)],
    ["message", "Message", Boolean(answer.contact?.phone)],
    ["email", "Email", Boolean(answer.contact?.email)],
  ];
  const contacts = channels
    .filter(([, , available]) => available)
    .map(([channel, label]) => {
      const button = h("button", { type: "button", class: "secondary", "data-testid": `contact-${channel}`, "aria-label": `${label} ${name}` }, label);
      button.addEventListener("click", async () => {
        button.disabled = true;
        error.hidden = true;
        try {
          openLink(await ctx.api.contact(askId, answer.author.id, channel));
        } catch (err) {
          fail(err);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    });

  return h(
    "li",
    { class: "answer", "data-testid": "answer-item", "data-answer-id": answer.id },
    h("h3", {}, name),
    h("p", { class: "meta" }, answer.via === "voice" ? "Spoken" : "Written", answer.created_at ? " · " : "", timeEl(answer.created_at)),
    h("p", { class: "answer-text" }, answer.text),
    h("div", { class: "actions start", role: "group", "aria-label": `Was ${name}’s answer helpful?` }, yes, no),
    contacts.length ? h("div", { class: "actions start contact", role: "group", "aria-label": `Contact ${name} directly` }, h("span", { class: "meta", "aria-hidden": "true" }, "Contact directly:"), ...contacts) : null,
    error,
  );
}
