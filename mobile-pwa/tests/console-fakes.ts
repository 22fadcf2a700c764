// The console's screens against the scripted backend (fake-backend.ts), and a stand-in for an
// <audio> element whose seeking and playing a test can watch and drive.

import { vi } from "vitest";
import { consoleApi } from "../src/api/console";
import type { ConsoleAsk } from "../src/api/console-types";
import type { ConsoleContext } from "../src/console/context";
import { fakeBackend, type Reply } from "./fake-backend";

export function consoleBackend(routes: Record<string, Reply>) {
  const b = fakeBackend(routes);
  const went: string[] = [];
  const hashes: string[] = [];
  const leaving: (() => void)[] = [];
  const ctx: ConsoleContext = {
    api: consoleApi(b.api),
    me: () => ({ id: "sam", name: "Sam Concierge", role: "concierge" }),
    go: (hash) => went.push(hash),
    onLeave: (fn) => leaving.push(fn),
    replaceHash: (hash) => hashes.push(hash),
  };
  return { ...b, ctx, went, hashes };
}

/** Makes an <audio> element observable: where it was sought to, whether play() was called,
 * and a way to move its clock as playback would. */
export function fakeMedia(audio: HTMLAudioElement) {
  let time = 0;
  const seeks: number[] = [];
  const play = vi.fn(() => Promise.resolve());
  Object.defineProperty(audio, "currentTime", {
    configurable: true,
    get: () => time,
    set: (t: number) => {
      time = t;
      seeks.push(t);
    },
  });
  audio.play = play;
  return {
    seeks,
    play,
    /** Playback reached `seconds`: the element fires timeupdate. */
    advance(seconds: number) {
      time = seconds;
      audio.dispatchEvent(new Event("timeupdate"));
    },
  };
}

export const segments = [
  { start_ms: 0, end_ms: 3200, text: "Our forklift batteries die mid-shift." },
  { start_ms: 3200, end_ms: 7400, text: "We charge them overnight." },
  { start_ms: 9000, end_ms: 12500, text: "Has anyone changed chargers?" },
];

export function askView(over: Partial<ConsoleAsk> = {}): ConsoleAsk {
  return {
    id: "a1",
    state: "answered",
    status: "answered",
    paused: false,
    paused_at: null,
    asker: { id: "claire", name: "Claire Martin", team: "Ops", site: "Lyon" },
    created_at: "2026-11-16T09:00:00Z",
    share_audio: false,
    transcript: segments.map((s) => s.text).join(" "),
    segments,
    audio: { url: "/api/v1/asks/a1/audio", available: true, deleted_at: null },
    card: { title: "Forklift battery dies mid-shift", summary: "Batteries last 5 h.", help_needed: "Who changed chargers?", tags: ["forklift", "battery"], source: "summarizer" },
    card_edited_by_asker: false,
    concierge_edited_at: null,
    asked: [
      {
        member_id: "ana",
        name: "Ana Silva",
        wave: 1,
        rank: 1,
        state: "answered",
        reasons: { summary: "close to their expertise (0.71); outside your team", relevance: 0.71, availability: 0.8, bridging: 1.2 },
        added_by: null,
        referred_by: null,
        withdrawn: false,
        asked_at: "2026-11-16T09:05:00Z",
        responded_at: "2026-11-16T10:00:00Z",
      },
      {
        member_id: "ben",
        name: "Ben Ito",
        wave: 1,
        rank: 2,
        state: "open",
        reasons: { summary: "at another site", relevance: 0.4, availability: 0.9, bridging: 1.1 },
        added_by: null,
        referred_by: null,
        withdrawn: false,
        asked_at: "2026-11-16T09:05:00Z",
        responded_at: null,
      },
    ],
    answers: [
      {
        id: "x1",
        member: { id: "ana", name: "Ana Silva" },
        text: "Opportunity charging at breaks. It doubled our run time.",
        via: "voice",
        segments: [
          { start_ms: 0, end_ms: 2500, text: "Opportunity charging at breaks." },
          { start_ms: 2500, end_ms: 5000, text: "It doubled our run time." },
        ],
        audio: { url: "/api/v1/answers/x1/audio", available: true, deleted_at: null },
        helpful: true,
        left_out: false,
        created_at: "2026-11-16T10:00:00Z",
      },
      { id: "x2", member: { id: "chen", name: "Chen Li" }, text: "Check the charger firmware.", via: "text", segments: null, audio: null, helpful: null, left_out: false, created_at: "2026-11-16T11:00:00Z" },
    ],
    digest: {
      points: [
        { answer_id: "x1", author: "Ana Silva", sentence: "Ana: charge at breaks.", source: "summarizer" },
        { answer_id: "x2", author: "Chen Li", sentence: "Chen: update the charger firmware.", source: "summarizer" },
      ],
      text: "Ana: charge at breaks.\nChen: update the charger firmware.",
      answer_count: 2,
      curated_by: null,
      curated_at: null,
      sent_at: null,
    },
    ...over,
  };
}

/** Buttons by their accessible text (their aria-label, else their text). */
export function button(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>("button")].filter((b) => {
    const label = b.getAttribute("aria-label") ?? b.textContent ?? "";
    return typeof name === "string" ? label.trim() === name : name.test(label);
  });
  if (found.length !== 1) throw new Error(`${found.length} buttons named ${String(name)}`);
  return found[0] as HTMLButtonElement;
}

/** The form control a <label> with this text points at. */
export function labelled<T extends HTMLElement = HTMLInputElement>(root: ParentNode, text: string): T {
  const label = [...root.querySelectorAll("label")].find((l) => l.textContent?.trim() === text);
  const el = label ? (root as Element).querySelector?.(`#${label.htmlFor}`) ?? document.getElementById(label.htmlFor) : null;
  if (!el) throw new Error(`no control labelled ${text}`);
  return el as T;
}
