// One ask as the concierge steers it (#/console/asks/ID): what the asker said (recording and
// timed transcript), the card, who was asked and why, the ranking to ask someone by hand, the
// answers and the digest to curate, and the history of every change. Each steering call
// answers with the whole page view; every section updates from it in place, so a recording
// that is playing keeps playing.

import type { ConsoleAsk } from "../api/console-types";
import { h } from "../ui/dom";
import { answersSection } from "./ask-answers";
import { cardSection } from "./ask-card";
import { routingSection } from "./ask-routing";
import { auditList } from "./audit-list";
import type { ConsoleContext } from "./context";
import { consoleHref, QUEUE } from "./routes";
import { transcriptPlayer } from "./transcript";
import { errorText, stateText, when } from "./words";

/** A piece of the page that follows the ask's view. */
export interface AskSection {
  el: HTMLElement;
  update(ask: ConsoleAsk): void;
}

/** Runs a steering call; on success every section shows the view it answers with. Returns the
 * error's text, or null when it went through. */
export type Steer = (call: () => Promise<ConsoleAsk>) => Promise<string | null>;

export function askView(ctx: ConsoleContext, id: string): HTMLElement {
  const heading = h("h1", { tabindex: -1 }, "Ask");
  const body = h("div", { class: "ask-body", "aria-busy": "true" }, h("p", { class: "message", role: "status" }, "Loading the ask…"));
  const el = h("section", { class: "console-ask" }, h("a", { href: consoleHref(QUEUE), class: "back" }, "← Queue"), heading, body);

  ctx.api.ask(id).then(
    (ask) => {
      body.setAttribute("aria-busy", "false");
      body.replaceChildren(...page(ctx, ask, heading));
    },
    (err: unknown) => {
      body.setAttribute("aria-busy", "false");
      body.replaceChildren(h("p", { class: "message error", role: "alert" }, errorText(err)));
    },
  );
  return el;
}

function page(ctx: ConsoleContext, first: ConsoleAsk, heading: HTMLElement): Node[] {
  const history = auditList(ctx, { subject_kind: "ask", subject_id: first.id }, { pageSize: 20, showSubject: false, label: "History of this ask" });
  const sections: AskSection[] = [];
  const steer: Steer = async (call) => {
    try {
      apply(await call());
      history.reload();
      return null;
    } catch (err) {
      return errorText(err);
    }
  };

  const summary = overview(ctx, steer);
  sections.push(summary, cardSection(ctx, steer), routingSection(ctx, steer), answersSection(ctx, steer, first));
  function apply(ask: ConsoleAsk) {
    heading.textContent = ask.card?.title || (ask.status === "draft" ? "Draft — no card yet" : "Untitled ask");
    for (const section of sections) section.update(ask);
  }
  apply(first);

  const asker = first.asker?.name || "The asker";
  const recording = h(
    "section",
    { class: "console-panel recording-panel", "aria-labelledby": "said-heading" },
    h("h2", { id: "said-heading" }, `What ${asker} said`),
    transcriptPlayer({
      label: "Transcript",
      audioLabel: `${asker}’s recording`,
      segments: first.segments,
      text: first.transcript,
      audio: first.audio,
      noAudio: "Typed: there is no recording.",
    }),
  );
  const historySection = h("section", { class: "console-panel", "aria-labelledby": "history-heading" }, h("h2", { id: "history-heading" }, "History"), history.el);
  const [, card, routing, answers] = sections.map((s) => s.el);
  const columns = h("div", { class: "ask-columns" }, h("div", { class: "ask-side" }, recording), h("div", { class: "ask-main" }, card, routing, answers, historySection));
  // One voice at a time: starting a recording pauses any other playing on the page.
  columns.addEventListener(
    "play",
    (e) => {
      for (const audio of columns.querySelectorAll("audio")) if (audio !== e.target && !audio.paused) audio.pause();
    },
    true,
  );
  return [summary.el, columns];
}

/** Who asks, when, where it stands, and Pause / Resume. */
function overview(ctx: ConsoleContext, steer: Steer): AskSection {
  const meta = h("p", { class: "ask-meta" });
  const pause = h("button", { type: "button", class: "secondary" }, "Pause");
  const pausedNote = h("p", { class: "meta" });
  const status = h("p", { class: "status-left", role: "status" });
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  let ask: ConsoleAsk | null = null;

  pause.addEventListener("click", async () => {
    if (!ask) return;
    const { id, paused: resuming } = ask;
    pause.disabled = true;
    error.hidden = true;
    status.textContent = "";
    const failed = await steer(() => (resuming ? ctx.api.resume(id) : ctx.api.pause(id)));
    pause.disabled = false;
    if (failed) {
      error.textContent = failed;
      error.hidden = false;
      return;
    }
    status.textContent = resuming ? "Resumed: routing goes on, and an unsent digest goes to the asker." : "Paused: no new peers are asked and no digest is sent until you resume.";
  });

  const el = h("div", { class: "ask-overview" }, meta, h("div", { class: "actions start" }, pause, pausedNote), status, error);
  return {
    el,
    update(next) {
      ask = next;
      const where = [next.asker?.team, next.asker?.site].filter(Boolean).join(", ");
      const created = when(next.created_at);
      meta.replaceChildren(
        h("span", { class: "ask-asker" }, next.asker?.name || "Someone", where ? ` (${where})` : ""),
        created ? " · asked " : "",
        created ?? "",
        " ",
        h("span", { class: `badge qstate-${next.state}` }, stateText(next.state)),
        next.paused ? h("span", { class: "badge paused" }, "Paused") : "",
        next.share_audio ? h("span", { class: "meta" }, " · peers may listen to the recording") : "",
      );
      pause.hidden = next.status === "draft" || next.status === "closed";
      pause.textContent = next.paused ? "Resume" : "Pause";
      const since = when(next.paused_at);
      pausedNote.replaceChildren(...(next.paused ? ["On hold", since ? " since " : "", since ?? "", ": no new wave is asked, no digest is pushed."] : []));
    },
  };
}
