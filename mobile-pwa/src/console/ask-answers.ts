// The answers (each with its recording and timed transcript, and "In the digest") and the
// digest's curation: each point's sentence in a text box, "Save curation" (PUT /digest with
// the points kept and the answers left out) and "Send to asker" (POST /digest/send).

import type { ConsoleAnswer, ConsoleAsk, Curation } from "../api/console-types";
import { h } from "../ui/dom";
import type { AskSection, Steer } from "./ask-view";
import type { ConsoleContext } from "./context";
import { transcriptPlayer } from "./transcript";
import { when } from "./words";

interface Point {
  answerId: string;
  sentence: HTMLTextAreaElement;
  item: HTMLLIElement;
}

export function answersSection(ctx: ConsoleContext, steer: Steer, first: ConsoleAsk): AskSection {
  let ask = first;
  let shownAnswers = "";
  let dirty = false;
  const checks = new Map<string, HTMLInputElement>();
  let points: Point[] = [];

  const list = h("ul", { class: "console-answers", "aria-label": "Answers" });
  const heading = h("h2", { id: "answers-heading" }, "Answers");
  const noAnswers = h("p", { class: "meta" }, "No answers yet.");

  const pointList = h("ol", { class: "digest-points", "aria-label": "Digest points" });
  const digestState = h("p", { class: "meta digest-state" });
  const digestText = h("blockquote", { class: "digest-preview" });
  const pausedNote = h("p", { class: "meta" }, "The ask is paused: the digest is kept, not pushed by itself. Send to asker still sends it now.");
  const save = h("button", { type: "button", class: "secondary" }, "Save curation");
  const send = h("button", { type: "button", class: "primary" }, "Send to asker");
  const unsaved = h("p", { class: "meta", hidden: true }, "Unsaved changes to the digest.");
  const status = h("p", { class: "status-left", role: "status" });
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const controls = h("div", { class: "actions start" }, save, send);

  const byId = (id: string) => (ask.answers ?? []).find((a) => a.id === id);
  const author = (id: string) => byId(id)?.member?.name || "a colleague";

  function markDirty() {
    dirty = true;
    unsaved.hidden = false;
  }

  function pointFor(answerId: string, sentence: string): Point {
    const id = `point-${answerId}`;
    const box = h("textarea", { id, rows: 2 });
    box.value = sentence;
    box.addEventListener("input", markDirty);
    const item = h("li", { class: "field" }, h("label", { for: id }, `Sentence from ${author(answerId)}`), box);
    return { answerId, sentence: box, item };
  }

  /** One text box per point of the stored digest, plus one for an answer kept in the digest
   * that has no point yet (its text, to shorten). Left-out answers' points are hidden. */
  function syncPoints() {
    for (const [answerId, check] of checks) {
      if (check.checked && !points.some((p) => p.answerId === answerId)) {
        const point = pointFor(answerId, byId(answerId)?.text.trim() ?? "");
        points.push(point);
        pointList.append(point.item);
      }
    }
    for (const p of points) p.item.hidden = checks.get(p.answerId)?.checked === false;
  }

  function rebuildDigest(next: ConsoleAsk) {
    points = (next.digest?.points ?? []).map((p) => pointFor(p.answer_id, p.sentence));
    pointList.replaceChildren(...points.map((p) => p.item));
    for (const a of next.answers ?? []) {
      const check = checks.get(a.id);
      if (check) check.checked = !a.left_out;
    }
    syncPoints();
    dirty = false;
    unsaved.hidden = true;
  }

  /** The PUT /digest body: the sentences of the answers kept, in order; the others left out. */
  function curation(): Curation {
    const keep = (id: string) => checks.get(id)?.checked !== false;
    return {
      points: points.filter((p) => keep(p.answerId)).map((p) => ({ answer_id: p.answerId, sentence: p.sentence.value.trim() })),
      left_out: (ask.answers ?? []).filter((a) => !keep(a.id)).map((a) => a.id),
    };
  }

  const say = (text: string, failed = false) => {
    status.textContent = failed ? "" : text;
    error.textContent = failed ? text : "";
    error.hidden = !failed;
  };

  async function saveCuration(): Promise<boolean> {
    const body = curation();
    const empty = body.points.find((p) => !p.sentence);
    if (empty) {
      say(`Write a sentence for ${author(empty.answer_id)}, or leave their answer out.`, true);
      points.find((p) => p.answerId === empty.answer_id)?.sentence.focus();
      return false;
    }
    // Not dirty any more once saved: the view the server answers with rebuilds the text boxes.
    const wasDirty = dirty;
    dirty = false;
    const failed = await steer(() => ctx.api.curate(ask.id, body));
    if (failed) {
      dirty = wasDirty;
      say(failed, true);
    }
    return !failed;
  }

  save.addEventListener("click", async () => {
    save.disabled = send.disabled = true;
    if (await saveCuration()) say("Curation saved. It is not sent yet: Send to asker pushes it now.");
    save.disabled = send.disabled = false;
  });
  send.addEventListener("click", async () => {
    save.disabled = send.disabled = true;
    const saved = !dirty || (await saveCuration());
    if (saved) {
      const id = ask.id;
      const failed = await steer(() => ctx.api.sendDigest(id));
      if (failed) say(failed, true);
      else say(`Sent to ${ask.asker?.name || "the asker"}.`);
    }
    save.disabled = send.disabled = false;
  });

  function answerItem(answer: ConsoleAnswer): HTMLElement {
    const name = answer.member?.name || "A colleague";
    const headingId = `answer-${answer.id}`;
    const checkId = `in-digest-${answer.id}`;
    const check = h("input", { id: checkId, type: "checkbox" });
    check.checked = !answer.left_out;
    check.addEventListener("change", () => {
      markDirty();
      syncPoints();
    });
    checks.set(answer.id, check);
    const created = when(answer.created_at);
    const rating = answer.helpful === true ? "rated helpful" : answer.helpful === false ? "rated not helpful" : "";
    return h(
      "li",
      { class: "console-answer", "aria-labelledby": headingId, "data-answer-id": answer.id },
      h("h3", { id: headingId }, name),
      h("p", { class: "meta" }, answer.via === "voice" ? "Spoken" : "Written", created ? " · " : "", created ?? "", rating ? ` · ${rating}` : ""),
      transcriptPlayer({
        label: `Transcript of ${name}’s answer`,
        audioLabel: `${name}’s answer`,
        segments: answer.segments,
        text: answer.text,
        audio: answer.audio,
      }),
      h("div", { class: "check" }, check, h("label", { for: checkId }, "In the digest")),
    );
  }

  const el = h(
    "div",
    { class: "answers-and-digest" },
    h("section", { class: "console-panel", "aria-labelledby": "answers-heading" }, heading, noAnswers, list),
    h(
      "section",
      { class: "console-panel digest-panel", "aria-labelledby": "digest-heading" },
      h("h2", { id: "digest-heading" }, "Digest"),
      digestState,
      pausedNote,
      pointList,
      unsaved,
      controls,
      status,
      error,
      h("h3", {}, "As the asker reads it"),
      digestText,
    ),
  );

  return {
    el,
    update(next) {
      ask = next;
      const answers = next.answers ?? [];
      const ids = answers.map((a) => a.id).join(" ");
      if (ids !== shownAnswers) {
        // Built again only when the answers themselves change: a playing answer keeps playing.
        shownAnswers = ids;
        checks.clear();
        list.replaceChildren(...answers.map(answerItem));
        dirty = false;
      }
      heading.textContent = answers.length ? `Answers (${answers.length})` : "Answers";
      noAnswers.hidden = answers.length > 0;
      if (!dirty) rebuildDigest(next);

      const d = next.digest;
      const curatedAt = when(d?.curated_at);
      const sentAt = when(d?.sent_at);
      digestState.replaceChildren(
        ...(d
          ? [
              d.curated_by ? `Curated by ${d.curated_by.name}` : "Not curated",
              curatedAt ? " " : "",
              curatedAt ?? "",
              " · ",
              sentAt ? "Sent to the asker " : "Not sent to the asker yet",
              sentAt ?? "",
            ]
          : [answers.length ? "No digest yet: it is being written." : "No digest yet: it is written when answers come in."]),
      );
      digestText.textContent = d?.text ?? "";
      digestText.previousElementSibling?.toggleAttribute("hidden", !d?.text);
      digestText.hidden = !d?.text;
      pausedNote.hidden = !next.paused;
      controls.hidden = answers.length === 0;
    },
  };
}
