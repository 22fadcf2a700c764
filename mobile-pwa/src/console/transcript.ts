// A recording and its transcript as timed sentences, side by side. Each sentence is a button
// that plays the recording from its start; the sentence being played is highlighted and the
// highlight follows playback. Used for the ask and for every spoken answer.

import type { AudioInfo, Segment } from "../api/console-types";
import { h } from "../ui/dom";
import { clock, when } from "./words";

export interface TranscriptOptions {
  /** The sentence list's accessible name: "Transcript", "Transcript of Ana Silva’s answer". */
  label: string;
  /** The recording's accessible name: "Claire Martin’s recording". */
  audioLabel: string;
  segments: Segment[] | null | undefined;
  /** Shown as one paragraph when there are no timed sentences (a typed ask, an older one). */
  text: string;
  audio: AudioInfo | null | undefined;
  /** Said when there is no recording at all; nothing is said when left out. */
  noAudio?: string;
}

export function transcriptPlayer(opts: TranscriptOptions): HTMLElement {
  const segments = (opts.segments ?? []).filter((s) => s && typeof s.start_ms === "number").slice().sort((a, b) => a.start_ms - b.start_ms);
  const note = h("p", { class: "meta audio-note", role: "status" });
  const playable = Boolean(opts.audio?.url && opts.audio.available !== false && !opts.audio.deleted_at);
  const audio = playable ? h("audio", { controls: true, preload: "metadata", src: opts.audio?.url ?? "", "aria-label": opts.audioLabel }) : null;

  if (opts.audio && !playable) {
    const deleted = when(opts.audio.deleted_at);
    note.append("The recording was deleted", deleted ? " " : "", deleted ?? "", "; the transcript stays.");
  } else if (!opts.audio && opts.noAudio) {
    note.textContent = opts.noAudio;
  }
  note.hidden = !note.textContent;

  if (!segments.length) {
    return h("div", { class: "transcript-player" }, audio, note, opts.text ? h("p", { class: "transcript-text", "aria-label": opts.label }, opts.text) : null);
  }

  const buttons: HTMLButtonElement[] = [];
  const items = segments.map((segment) => {
    const time = h("span", { class: "seg-time" }, clock(segment.start_ms));
    const text = h("span", { class: "seg-text" }, segment.text.trim());
    if (!audio) return h("li", { class: "segment" }, h("span", { class: "segment-static" }, time, " ", text));
    const button = h("button", { type: "button", class: "segment-button", title: `Play from ${clock(segment.start_ms)}` }, time, " ", text);
    button.addEventListener("click", () => playFrom(segment.start_ms));
    buttons.push(button);
    return h("li", { class: "segment" }, button);
  });
  const list = h("ol", { class: "segments", "aria-label": opts.label }, ...items);

  let current = -1;
  function highlight(index: number) {
    if (index === current) return;
    const before = buttons[current];
    before?.removeAttribute("aria-current");
    items[current]?.classList.remove("current");
    current = index;
    const item = items[index];
    if (!item) return;
    buttons[index]?.setAttribute("aria-current", "true");
    item.classList.add("current");
    keepVisible(list, item);
  }

  function playFrom(ms: number) {
    if (!audio) return;
    audio.currentTime = ms / 1000;
    highlight(segmentAt(segments, ms));
    try {
      void Promise.resolve(audio.play()).catch(() => {});
    } catch {
      // the browser refused to play (no audio output): the seek still shows where it is
    }
  }

  if (audio) {
    const follow = () => highlight(segmentAt(segments, audio.currentTime * 1000));
    audio.addEventListener("timeupdate", follow);
    audio.addEventListener("seeked", follow);
    audio.addEventListener("error", () => {
      note.textContent = "The recording could not be loaded (it may have been deleted); the transcript stays.";
      note.hidden = false;
      for (const b of buttons) b.disabled = true;
    });
  }
  return h("div", { class: "transcript-player" }, audio, note, list);
}

/** The sentence playing at `ms`: the last one started by then (it stays lit through a pause
 * before the next one), or -1 before the first. */
export function segmentAt(segments: readonly Segment[], ms: number): number {
  let found = -1;
  for (let i = 0; i < segments.length; i++) {
    if ((segments[i] as Segment).start_ms <= ms + 0.5) found = i; // a seek to 3.2 s may read back as 3199.9999 ms
    else break;
  }
  return found;
}

/** Scrolls the sentence list (not the page) so the lit sentence stays in view. */
function keepVisible(list: HTMLElement, item: HTMLElement) {
  if (list.scrollHeight <= list.clientHeight) return;
  const top = item.offsetTop - list.offsetTop;
  if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = Math.max(0, top - list.clientHeight / 3);
  }
}
