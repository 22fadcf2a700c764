// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { segmentAt, transcriptPlayer } from "../src/console/transcript";
import { clock } from "../src/console/words";
import { fakeMedia, segments } from "./console-fakes";

function player(over: Partial<Parameters<typeof transcriptPlayer>[0]> = {}) {
  const el = transcriptPlayer({
    label: "Transcript",
    audioLabel: "Claire Martin’s recording",
    segments,
    text: "whole text",
    audio: { url: "/api/v1/asks/a1/audio", available: true, deleted_at: null },
    ...over,
  });
  document.body.replaceChildren(el);
  const list = el.querySelector<HTMLOListElement>("ol[aria-label='Transcript']");
  const buttons = [...(list?.querySelectorAll("button") ?? [])];
  const audio = el.querySelector("audio");
  return { el, list, buttons, audio };
}

const lit = (buttons: HTMLButtonElement[]) => buttons.map((b) => b.getAttribute("aria-current") === "true");

describe("the timed transcript", () => {
  it("shows each sentence as a button with its start time, beside the recording", () => {
    const { list, buttons, audio } = player();
    expect(list).not.toBeNull();
    expect(buttons.map((b) => b.textContent)).toEqual(["0:00 Our forklift batteries die mid-shift.", "0:03 We charge them overnight.", "0:09 Has anyone changed chargers?"]);
    expect(audio?.getAttribute("src")).toBe("/api/v1/asks/a1/audio");
    expect(audio?.hasAttribute("controls")).toBe(true);
    expect(audio?.getAttribute("aria-label")).toBe("Claire Martin’s recording");
  });

  it("a click on a sentence seeks the recording to its start and plays it", () => {
    const { buttons, audio } = player();
    const media = fakeMedia(audio as HTMLAudioElement);
    buttons[2]?.click();
    expect(media.seeks).toEqual([9]);
    expect(media.play).toHaveBeenCalledTimes(1);
    expect(lit(buttons)).toEqual([false, false, true]);
    buttons[1]?.click();
    expect(media.seeks).toEqual([9, 3.2]);
    expect(media.play).toHaveBeenCalledTimes(2);
    expect(lit(buttons)).toEqual([false, true, false]);
  });

  it("the highlight follows playback (timeupdate), through the pause between sentences", () => {
    const { buttons, audio } = player();
    const media = fakeMedia(audio as HTMLAudioElement);
    expect(lit(buttons)).toEqual([false, false, false]);
    media.advance(0.5);
    expect(lit(buttons)).toEqual([true, false, false]);
    expect(buttons[0]?.closest("li")?.classList.contains("current")).toBe(true);
    media.advance(3.3);
    expect(lit(buttons)).toEqual([false, true, false]);
    expect(buttons[0]?.closest("li")?.classList.contains("current")).toBe(false);
    media.advance(8); // silence after the second sentence: it stays lit
    expect(lit(buttons)).toEqual([false, true, false]);
    media.advance(9.1);
    expect(lit(buttons)).toEqual([false, false, true]);
    media.advance(1); // the listener went back
    expect(lit(buttons)).toEqual([true, false, false]);
  });

  it("says when the recording was deleted, and keeps the sentences as text", () => {
    const { el, buttons, audio } = player({ audio: { url: "/api/v1/asks/a1/audio", available: false, deleted_at: "2026-01-02T00:00:00Z" } });
    expect(audio).toBeNull();
    expect(buttons).toHaveLength(0);
    expect(el.querySelector(".audio-note")?.textContent).toMatch(/^The recording was deleted .+; the transcript stays\.$/);
    expect(el.querySelectorAll("ol[aria-label='Transcript'] li")).toHaveLength(3);
    expect(el.textContent).toContain("0:09 Has anyone changed chargers?");
  });

  it("says so when the recording cannot be loaded (410 once retention ran), and stops offering to play", () => {
    const { el, buttons, audio } = player();
    audio?.dispatchEvent(new Event("error"));
    expect(el.querySelector(".audio-note")?.textContent).toMatch(/could not be loaded/);
    expect(buttons.every((b) => b.disabled)).toBe(true);
  });

  it("shows the plain text for a typed ask, and says there is no recording", () => {
    const { el, list } = player({ segments: null, audio: null, text: "Typed problem.", noAudio: "Typed: there is no recording." });
    expect(list).toBeNull();
    expect(el.querySelector(".transcript-text")?.textContent).toBe("Typed problem.");
    expect(el.querySelector(".audio-note")?.textContent).toBe("Typed: there is no recording.");
  });

  it("finds the sentence at a moment, and writes times as m:ss", () => {
    expect(segmentAt(segments, -5)).toBe(-1);
    expect(segmentAt(segments, 0)).toBe(0);
    expect(segmentAt(segments, 3199)).toBe(0);
    expect(segmentAt(segments, 3199.5)).toBe(1); // float error after a seek to 3.2 s
    expect(segmentAt(segments, 60_000)).toBe(2);
    expect(clock(0)).toBe("0:00");
    expect(clock(83_400)).toBe("1:23");
    expect(clock(3_723_000)).toBe("1:02:03");
  });
});
