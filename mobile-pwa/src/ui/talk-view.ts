// Home: the hold-to-talk button, the level meter and the live transcript while speaking, then
// the card. Renders the Dictation state; the only logic here is which words to show.

import type { Api } from "../api/client";
import { ApiError } from "../api/client";
import type { Dictation, DictationState } from "../app/dictation";
import { cardEditor, type CardEditor } from "./card-editor";
import { h } from "./dom";
import { bindHoldToTalk } from "./hold-to-talk";
import { messageFor } from "./messages";

export interface TalkViewDeps {
  dictation: Dictation;
  api: Api;
  /** Shows a short notice outside this view (after sending, the view resets). */
  notify(text: string): void;
}

export const MIC_ICON =
  '<svg viewBox="0 0 24 24" width="56" height="56" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z"/></svg>';

export function talkView(deps: TalkViewDeps): { el: HTMLElement; dispose(): void } {
  const { dictation, api } = deps;

  const label = h("span", { class: "talk-label" }, "Hold to talk");
  const button = h("button", { type: "button", class: "talk", "data-testid": "talk-button", "aria-pressed": "false", "aria-describedby": "talk-hint" });
  button.innerHTML = MIC_ICON;
  button.append(label);
  const hint = h(
    "p",
    { id: "talk-hint", class: "hint" },
    "Hold the button and say what is blocking you; let go when you are done. Or tap once to start and tap again to finish.",
  );
  const meterFill = h("div", { class: "meter-fill" });
  const meter = h("div", { class: "meter", "data-testid": "level-meter", "aria-hidden": "true", hidden: true }, meterFill);
  const status = h("p", { class: "status", "data-testid": "dictation-status", role: "status" });
  const later = h("button", { type: "button", class: "secondary", "data-testid": "send-later-button", hidden: true }, "Upload later");
  // Committed words are announced; tentative ones change several times a second and would
  // drown a screen reader, so they are only visual.
  const committed = h("span", { class: "committed", "aria-live": "polite" });
  const tentative = h("span", { class: "tentative", "aria-hidden": "true" });
  const transcript = h(
    "div",
    { class: "transcript", "data-testid": "live-transcript", "aria-label": "Live transcript", role: "region", hidden: true },
    committed,
    " ",
    tentative,
  );
  const finalTranscript = h("p", { class: "final-transcript", "data-testid": "final-transcript", hidden: true });
  const message = h("p", { class: "message", "data-testid": "dictation-message", role: "alert", hidden: true });
  const cardSlot = h("div", { class: "card-slot" });
  const typing = typeInstead(deps, () => (typed = true));

  const talkArea = h("div", { class: "talk-area" }, button, meter, status, later);
  const el = h(
    "section",
    { class: "talk-view", "aria-label": "Ask for help" },
    talkArea,
    message,
    hint,
    transcript,
    finalTranscript,
    cardSlot,
    typing,
  );

  const gesture = bindHoldToTalk(button, {
    start: () => dictation.press(),
    stop: () => dictation.release(),
    latch: () => render(dictation.current),
  });
  later.addEventListener("click", () => void dictation.sendLater());

  let editor: CardEditor | null = null;
  let cardReady = false;
  /** The card on screen came from "Type instead": there is no recording to share. */
  let typed = false;

  function render(s: DictationState) {
    const busy = s.stage === "sending" || s.stage === "writing" || s.stage === "review";
    const recording = s.stage === "recording" || s.stage === "starting";
    if (!recording) gesture.reset();
    button.disabled = busy;
    // While the card is written and checked, it is the only thing on screen.
    talkArea.hidden = s.stage === "writing" || s.stage === "review";
    button.classList.toggle("recording", recording);
    button.setAttribute("aria-pressed", String(recording));
    label.textContent = buttonLabel(s, gesture.isLatched);
    hint.hidden = recording || busy;
    meter.hidden = s.stage !== "recording";
    meterFill.style.transform = `scaleX(${s.level.toFixed(3)})`;
    status.textContent = statusText(s);
    later.hidden = !(s.stage === "sending" && s.link === "lost");

    transcript.hidden = !(s.stage === "recording" || s.stage === "sending") || !(s.committed || s.tentative);
    committed.textContent = s.committed;
    tentative.textContent = s.tentative;
    finalTranscript.hidden = !s.transcript || !(s.stage === "writing" || s.stage === "review");
    finalTranscript.textContent = s.transcript ? `“${s.transcript}”` : "";

    message.hidden = !s.message;
    message.textContent = s.message ?? "";
    message.classList.toggle("error", s.stage === "error");
    typing.hidden = recording || busy;

    if (s.stage === "writing" || s.stage === "review") {
      if (!editor) {
        editor = makeEditor();
        cardReady = false;
        cardSlot.replaceChildren(editor.el);
      }
      if (s.stage === "writing") editor.streaming(s.summaryDraft);
      else if (s.card && !cardReady) {
        cardReady = true;
        editor.ready(s.card);
        if (s.askId) showSimilar(editor, s.askId);
      }
    } else if (editor) {
      editor = null;
      typed = false;
      cardSlot.replaceChildren();
    }
  }

  /** "The network may already know": loaded on demand, and never in the way of sending. */
  function showSimilar(shown: CardEditor, askId: string) {
    import("./similar-asks").then(
      (m) => editor === shown && shown.setSimilar(m.similarAsks(api, askId)),
      () => {},
    );
  }

  function makeEditor(): CardEditor {
    return cardEditor({
      canShareAudio: !typed,
      onSend: async (edits) => {
        const askId = dictation.current.askId;
        if (!askId) return;
        try {
          await api.confirmAsk(askId, edits);
        } catch (err) {
          throw new Error(err instanceof ApiError ? messageFor(err.code, err.message) : String(err));
        }
        dictation.dismiss();
        deps.notify("Sent. coagent is finding the peers most likely to help; you will get their answers here.");
        button.focus();
      },
      onDiscard: () => {
        dictation.dismiss();
        deps.notify("Card discarded. Nothing was sent.");
        button.focus();
      },
    });
  }

  const unsubscribe = dictation.subscribe(render);
  return { el, dispose: unsubscribe };
}

function buttonLabel(s: DictationState, latched: boolean): string {
  switch (s.stage) {
    case "starting":
      return "Starting…";
    case "recording":
      return latched ? "Tap to send" : "Release to send";
    case "sending":
    case "writing":
      return "Sending…";
    case "review":
      return "Hold to talk";
    default:
      return "Hold to talk";
  }
}

function statusText(s: DictationState): string {
  switch (s.stage) {
    case "starting":
      return "Opening the microphone…";
    case "recording":
      if (s.link === "lost") return "Listening. Connection lost: your words are kept on this phone and sent when it returns.";
      if (s.link === "connecting") return "Listening… connecting";
      return "Listening…";
    case "sending":
      return s.link === "lost" ? "Waiting for the network. Your recording is safe on this phone." : "Finishing the transcript…";
    case "writing":
      return "Writing your card…";
    case "review":
      return "";
    default:
      return "";
  }
}

/** "Type instead": the same ask without a microphone (denied, noisy room, a desk). */
function typeInstead(deps: TalkViewDeps, onTyped: () => void): HTMLElement {
  const text = h("textarea", { id: "type-text", rows: 4, "data-testid": "type-input", required: true });
  const submit = h("button", { type: "submit", class: "secondary", "data-testid": "type-submit" }, "Write my card");
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const form = h("form", {}, h("label", { for: "type-text" }, "Describe your problem"), text, error, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    submit.disabled = true;
    error.hidden = true;
    try {
      const ask = await deps.api.createTextAsk(value);
      text.value = "";
      const c = ask.card ?? {};
      if (c.title || c.summary) {
        onTyped();
        deps.dictation.review(ask.id, { title: c.title ?? "", summary: c.summary ?? "", help_needed: c.help_needed ?? "", tags: c.tags ?? [] }, value);
      } else {
        deps.notify("Your ask was saved; its card will appear in My asks shortly.");
      }
    } catch (err) {
      error.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return h("details", { class: "type-instead" }, h("summary", {}, "Type instead"), form);
}
