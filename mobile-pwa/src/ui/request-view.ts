// One request, as the asked peer sees it: the card, who asks, the original recording when the
// asker allowed it, and four ways to respond: answer by voice (hold to talk, live transcript),
// answer in writing, pass, or refer a colleague. After answering or passing, back to the inbox.

import "./network.css";
import { ApiError, askAudioUrl, type AskDetail } from "../api/client";
import type { ScreenContext } from "../app/context";
import { hrefFor } from "../app/routes";
import { VoiceAnswer, type VoiceState } from "../app/voice-answer";
import { h } from "./dom";
import { timeEl } from "./format";
import { bindHoldToTalk } from "./hold-to-talk";
import { messageFor } from "./messages";
import { referPicker } from "./refer-picker";
import { MIC_ICON } from "./talk-view";

/** How long "Sent — thank you" stays before the inbox comes back. */
export const RETURN_MS = 2500;

const ALREADY: Record<string, string> = {
  answered: "You answered this request. Thank you! You can add to your answer below.",
  passed: "You passed on this request. You can still answer it if you change your mind.",
  referred: "You referred a colleague for this request. You can still answer it yourself.",
};

export function requestView(ctx: ScreenContext, askId: string, opts: { returnMs?: number } = {}): HTMLElement {
  // The heading is there from the start and only its text changes once the request is in, so
  // the focus the shell gives it on arrival stays put.
  const heading = h("h1", { tabindex: -1 }, "Request");
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "message", role: "status" }, "Loading the request…"));
  const el = h("section", { class: "request-view" }, h("a", { href: hrefFor({ name: "inbox" }), class: "back" }, "← Inbox"), heading, body);

  ctx.api.getAsk(askId).then(
    (ask) => {
      heading.textContent = ask.card?.title || "Untitled request";
      heading.dataset.testid = "request-card-title";
      body.setAttribute("aria-busy", "false");
      body.replaceChildren(...render(ctx, ask, opts.returnMs ?? RETURN_MS));
    },
    (err: unknown) => {
      body.setAttribute("aria-busy", "false");
      body.replaceChildren(h("p", { class: "message error", role: "alert" }, err instanceof ApiError ? messageFor(err.code, err.message) : String(err)));
    },
  );
  return el;
}

function render(ctx: ScreenContext, ask: AskDetail, returnMs: number): Node[] {
  const card = ask.card ?? {};
  const asker = ask.asker?.name || "A colleague";
  const state = ask.my_request?.state ?? "open";
  const closed = ask.status === "closed";

  const article = h(
    "article",
    { class: "card", "data-testid": "request-card" },
    h("p", { class: "meta", "data-testid": "request-asker" }, `${asker} asks`, ask.my_request?.asked_at ? " · " : "", timeEl(ask.my_request?.asked_at)),
    card.summary ? h("p", { "data-testid": "card-summary" }, card.summary) : null,
    card.help_needed ? h("p", { "data-testid": "card-help" }, h("strong", {}, "Help asked: "), card.help_needed) : null,
    card.tags?.length ? h("ul", { class: "tags", "aria-label": "Tags" }, ...card.tags.map((t) => h("li", {}, t))) : null,
    ask.share_audio ? audioPlayer(ask.id, asker) : null,
  );
  if (closed) {
    return [article, h("p", { class: "message", role: "status", "data-testid": "request-closed" }, `${asker} closed this ask: no more answers are needed. Thank you anyway.`)];
  }

  const sent = h("p", { class: "message sent", role: "status", "data-testid": "answer-sent", tabindex: -1, hidden: true });
  const responses = h("div", { class: "responses" });
  const note = ALREADY[state] ? h("p", { class: "message", "data-testid": "request-state" }, ALREADY[state] as string) : null;

  let done = false;
  const answered = () => {
    if (done) return;
    done = true;
    responses.hidden = true;
    sent.hidden = false;
    sent.textContent = `Sent — thank you. ${asker} will get your answer.`;
    sent.focus();
    const here = location.hash;
    const timer = setTimeout(() => {
      ctx.notify(`Your answer is on its way to ${asker}. Thank you!`);
      // Only if the peer has not moved on already.
      if (location.hash === here) ctx.go(hrefFor({ name: "inbox" }));
    }, returnMs);
    ctx.onLeave(() => clearTimeout(timer));
  };

  const voice = voiceAnswer(ctx, ask.id, answered);
  const text = textAnswer(ctx, ask.id, answered);
  const more = state === "open" ? otherResponses(ctx, ask, asker) : null;
  responses.append(...[note, voice, text, more].filter((n): n is HTMLElement => n !== null));
  return [article, sent, responses];
}

function audioPlayer(id: string, asker: string): HTMLElement {
  return h(
    "figure",
    { class: "recording" },
    h("figcaption", { id: `audio-${id}` }, `${asker}’s recording`),
    h("audio", { controls: true, preload: "none", src: askAudioUrl(id), "aria-labelledby": `audio-${id}`, "data-testid": "request-audio" }),
  );
}

function voiceAnswer(ctx: ScreenContext, askId: string, answered: () => void): HTMLElement {
  const label = h("span", { class: "talk-label" }, "Hold to answer");
  const button = h("button", { type: "button", class: "talk talk-small", "data-testid": "answer-talk-button", "aria-pressed": "false", "aria-describedby": "answer-hint" });
  button.innerHTML = MIC_ICON;
  button.append(label);
  const hint = h("p", { id: "answer-hint", class: "hint" }, "Hold and speak your answer; let go to send it. Or tap once to start and again to send.");
  const status = h("p", { class: "status", role: "status" });
  const committed = h("span", { class: "committed", "aria-live": "polite" });
  const tentative = h("span", { class: "tentative", "aria-hidden": "true" });
  const transcript = h("div", { class: "transcript", "data-testid": "answer-live-transcript", role: "region", "aria-label": "Your answer as you speak", hidden: true }, committed, " ", tentative);
  const message = h("p", { class: "message", role: "alert", hidden: true });

  const voice = new VoiceAnswer({
    askId,
    ...ctx.voice,
    upload: (wav, key) => ctx.api.answerAudio(askId, wav, key),
  });
  const gesture = bindHoldToTalk(button, {
    start: () => voice.press(),
    stop: () => voice.release(),
    latch: () => show(voice.current),
  });

  function show(s: VoiceState) {
    const recording = s.stage === "starting" || s.stage === "recording";
    if (!recording) gesture.reset();
    button.disabled = s.stage === "sending" || s.stage === "sent";
    button.classList.toggle("recording", recording);
    button.setAttribute("aria-pressed", String(recording));
    label.textContent = s.stage === "starting" ? "Starting…" : recording ? (gesture.isLatched ? "Tap to send" : "Release to send") : s.stage === "sending" ? "Sending…" : "Hold to answer";
    status.textContent = s.stage === "recording" ? "Listening…" : s.stage === "sending" ? "Sending your answer…" : "";
    transcript.hidden = !(s.committed || s.tentative);
    committed.textContent = s.committed;
    tentative.textContent = s.tentative;
    message.hidden = !s.message;
    message.textContent = s.message ?? "";
    message.classList.toggle("error", s.stage === "error");
    if (s.stage === "sent") answered();
  }
  const unsubscribe = voice.subscribe(show);
  ctx.onLeave(() => {
    unsubscribe();
    voice.cancel();
  });

  return h(
    "section",
    { class: "answer-voice", "aria-labelledby": "answer-voice-heading" },
    h("h2", { id: "answer-voice-heading" }, "Answer by voice"),
    h("div", { class: "talk-area" }, button, status),
    hint,
    transcript,
    message,
  );
}

function textAnswer(ctx: ScreenContext, askId: string, answered: () => void): HTMLElement {
  const text = h("textarea", { id: "answer-text", rows: 5, "data-testid": "answer-text" });
  const send = h("button", { type: "submit", class: "primary", "data-testid": "answer-send" }, "Send answer");
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const form = h(
    "form",
    { class: "answer-text", "aria-labelledby": "answer-text-heading" },
    h("h2", { id: "answer-text-heading" }, "Or write your answer"),
    h("label", { for: "answer-text", class: "visually-hidden" }, "Your answer"),
    text,
    error,
    h("div", { class: "actions" }, send),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) {
      error.textContent = "Write your answer first, or answer by voice.";
      error.hidden = false;
      text.focus();
      return;
    }
    send.disabled = true;
    error.hidden = true;
    send.textContent = "Sending…";
    try {
      await ctx.api.answerText(askId, value);
      answered();
    } catch (err) {
      error.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
      error.hidden = false;
      send.disabled = false;
      send.textContent = "Send answer";
    }
  });
  return form;
}

function otherResponses(ctx: ScreenContext, ask: AskDetail, asker: string): HTMLElement {
  const pass = h("button", { type: "button", class: "secondary", "data-testid": "pass-button" }, "Pass — I can’t help");
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  pass.addEventListener("click", async () => {
    pass.disabled = true;
    error.hidden = true;
    try {
      await ctx.api.pass(ask.id);
      ctx.notify(`You passed on “${ask.card?.title || "this request"}”. Thanks for saying so: coagent will ask someone else.`);
      ctx.go(hrefFor({ name: "inbox" }));
    } catch (err) {
      error.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
      error.hidden = false;
      pass.disabled = false;
    }
  });
  const exclude = new Set([ctx.me()?.id, ask.asker?.id].filter((id): id is string => Boolean(id)));
  const refer = referPicker({
    load: () => ctx.api.members().then((all) => all.filter((m) => !exclude.has(m.id))),
    refer: async (member) => {
      await ctx.api.refer(ask.id, member.id);
      ctx.notify(`Thank you: coagent asked ${member.name} to help ${asker}.`);
      ctx.go(hrefFor({ name: "inbox" }));
    },
  });
  return h(
    "section",
    { class: "other-responses", "aria-labelledby": "other-heading" },
    h("h2", { id: "other-heading" }, "Not for you?"),
    h("div", { class: "actions start" }, pass, refer.button),
    error,
    refer.panel,
  );
}
