// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { ConsoleAsk } from "../src/api/console-types";
import { parseTags } from "../src/console/ask-card";
import { askView as askPage } from "../src/console/ask-view";
import { askView, button, consoleBackend, fakeMedia, labelled } from "./console-fakes";
import { until, type Reply } from "./fake-backend";

const candidates = [
  { member_id: "ana", name: "Ana Silva", rank: 1, score: 0.68, reasons: { summary: "close to their expertise (0.71)", relevance: 0.71, availability: 0.8, bridging: 1.2 }, asked: true, eligible: true },
  { member_id: "dan", name: "Dan Roy", rank: 2, score: 0.41, reasons: { summary: "answered a similar ask helpfully (0.62)", relevance: 0.5, availability: 0.75, bridging: 1.1 }, asked: false, eligible: true },
  { member_id: "eve", name: "Eve Park", rank: 3, score: 0.2, reasons: { summary: "no expertise or past answer close to this ask" }, asked: false, eligible: false },
];

function setup(routes: Record<string, Reply> = {}, view: ConsoleAsk = askView()) {
  const b = consoleBackend({
    "GET /api/v1/console/asks/a1": { body: view },
    "GET /api/v1/console/asks/a1/ranking": { body: { candidates } },
    "GET /api/v1/console/audit": { body: { entries: [] } },
    ...routes,
  });
  const el = askPage(b.ctx, "a1");
  document.body.replaceChildren(el);
  return { ...b, el };
}

const loaded = (el: HTMLElement) => until(() => el.querySelector(".ask-columns") !== null, "ask page");
const section = (el: HTMLElement, heading: string) => {
  const h = [...el.querySelectorAll("h2")].find((x) => x.textContent === heading);
  if (!h) throw new Error(`no section ${heading}`);
  return h.closest("section") as HTMLElement;
};

describe("the console's ask page", () => {
  it("shows the transcript beside the recording, the card, who was asked and why, answers and the digest", async () => {
    const { el } = setup();
    await loaded(el);
    expect(el.querySelector("h1")?.textContent).toBe("Forklift battery dies mid-shift");
    expect(el.querySelector(".ask-meta")?.textContent).toContain("Claire Martin (Ops, Lyon)");
    const said = section(el, "What Claire Martin said");
    expect(said.querySelectorAll("ol[aria-label='Transcript'] button")).toHaveLength(3);
    expect(said.querySelector("audio")?.getAttribute("src")).toBe("/api/v1/asks/a1/audio");

    const asked = section(el, "Who was asked and why");
    const rows = [...asked.querySelectorAll<HTMLTableRowElement>("tbody tr")];
    expect(rows.map((r) => r.cells[0]?.textContent)).toEqual(["Ana Silva", "Ben Ito"]);
    expect(rows[0]?.textContent).toContain("Close to their expertise (0.71); outside your team.");
    expect(rows[0]?.textContent).toContain("Score 0.68 = relevance 0.71 × availability 0.80 × bridging 1.20");
    // Only the open request can be withdrawn.
    expect(asked.querySelectorAll("button")).toHaveLength(1);
    expect(button(asked, "Withdraw the request to Ben Ito").textContent).toBe("Withdraw");

    const answers = section(el, "Answers (2)");
    const items = [...answers.querySelectorAll<HTMLElement>("li.console-answer")];
    expect(items.map((li) => li.querySelector("h3")?.textContent)).toEqual(["Ana Silva", "Chen Li"]);
    expect(items[0]?.querySelector("audio")?.getAttribute("src")).toBe("/api/v1/answers/x1/audio");
    expect(items[0]?.querySelector("ol")?.getAttribute("aria-label")).toBe("Transcript of Ana Silva’s answer");
    expect(items[0]?.textContent).toContain("Spoken");
    expect(items[0]?.textContent).toContain("rated helpful");
    expect(items[1]?.querySelector("audio")).toBeNull();
    expect(items[1]?.textContent).toContain("Check the charger firmware.");
    expect(labelled(items[0] as HTMLElement, "In the digest").checked).toBe(true);

    const digest = section(el, "Digest");
    expect(digest.querySelector(".digest-state")?.textContent).toBe("Not curated · Not sent to the asker yet");
    expect(labelled<HTMLTextAreaElement>(digest, "Sentence from Ana Silva").value).toBe("Ana: charge at breaks.");
  });

  it("plays an answer from the sentence clicked, with the same component", async () => {
    const { el } = setup();
    await loaded(el);
    const answer = el.querySelector<HTMLElement>("li.console-answer") as HTMLElement;
    const media = fakeMedia(answer.querySelector("audio") as HTMLAudioElement);
    const sentence = [...answer.querySelectorAll("button")].find((b) => b.textContent?.includes("It doubled our run time."));
    sentence?.click();
    expect(media.seeks).toEqual([2.5]);
    expect(media.play).toHaveBeenCalled();
  });

  it("edits the card in place: Edit card, then Save card sends PUT /card", async () => {
    const edited = askView({ card: { title: "Forklift batteries: 5 h instead of 8", summary: "Batteries last 5 h.", help_needed: "Who changed chargers?", tags: ["forklift", "charging"] }, concierge_edited_at: new Date().toISOString() });
    const { el, called } = setup({ "PUT /api/v1/console/asks/a1/card": { body: edited } });
    await loaded(el);
    const card = section(el, "Card");
    expect(card.textContent).not.toContain("Edited by the concierge");
    button(card, "Edit card").click();
    const title = labelled(card, "Title");
    expect(title.value).toBe("Forklift battery dies mid-shift");
    expect(document.activeElement).toBe(title);
    expect(labelled(card, "Tags").value).toBe("forklift, battery");
    title.value = "  Forklift batteries: 5 h instead of 8 ";
    labelled(card, "Tags").value = "forklift, charging, , Forklift";
    button(card, "Save card").click();
    await until(() => called("PUT", "/api/v1/console/asks/a1/card").length === 1, "PUT card");
    expect(called("PUT", "/api/v1/console/asks/a1/card")[0]?.body).toEqual({
      title: "Forklift batteries: 5 h instead of 8",
      summary: "Batteries last 5 h.",
      help_needed: "Who changed chargers?",
      tags: ["forklift", "charging"],
    });
    await until(() => card.textContent?.includes("Edited by the concierge") === true, "marker");
    expect(el.querySelector("h1")?.textContent).toBe("Forklift batteries: 5 h instead of 8");
    expect(card.querySelector("form")?.hidden).toBe(true);
    expect(card.querySelector("[role=status]")?.textContent).toMatch(/Card saved/);
  });

  it("does not send a card without a title", async () => {
    const { el, called } = setup();
    await loaded(el);
    const card = section(el, "Card");
    button(card, "Edit card").click();
    labelled(card, "Title").value = " ";
    button(card, "Save card").click();
    expect(card.querySelector("[role=alert]")?.textContent).toBe("Give the card a title.");
    expect(called("PUT", "/api/v1/console/asks/a1/card")).toHaveLength(0);
  });

  it("pauses and resumes", async () => {
    const { el, called } = setup({
      "POST /api/v1/console/asks/a1/pause": { body: askView({ paused: true, paused_at: new Date().toISOString() }) },
      "POST /api/v1/console/asks/a1/resume": { body: askView() },
    });
    await loaded(el);
    button(el, "Pause").click();
    await until(() => el.querySelector(".ask-overview .badge.paused") !== null, "paused");
    expect(called("POST", "/api/v1/console/asks/a1/pause")).toHaveLength(1);
    expect(el.querySelector(".ask-overview [role=status]")?.textContent).toMatch(/^Paused/);
    button(el, "Resume").click();
    await until(() => el.querySelector(".ask-overview .badge.paused") === null, "resumed");
    expect(called("POST", "/api/v1/console/asks/a1/resume")).toHaveLength(1);
    button(el, "Pause");
  });

  it("asks one more peer from the ranking (POST /requests) and shows who is not available", async () => {
    const after = askView();
    after.asked.push({ ...(after.asked[1] as ConsoleAsk["asked"][number]), member_id: "dan", name: "Dan Roy", wave: 2, rank: 2, added_by: { id: "sam", name: "Sam Concierge" }, reasons: { summary: "answered a similar ask helpfully (0.62)", added_by_concierge: true } });
    const { el, called } = setup({ "POST /api/v1/console/asks/a1/requests": { status: 201, body: after } });
    await loaded(el);
    const ranking = section(el, "Ranking");
    await until(() => ranking.querySelectorAll("tbody tr").length === 3, "ranking");
    const rows = [...ranking.querySelectorAll<HTMLTableRowElement>("tbody tr")];
    expect(rows.map((r) => r.cells[2]?.textContent)).toEqual(["0.68", "0.41", "0.20"]);
    expect(rows[0]?.textContent).toContain("Asked");
    expect(rows[2]?.textContent).toContain("Not available now");
    expect(ranking.querySelectorAll("button.primary")).toHaveLength(2);
    button(ranking, "Ask this peer: Dan Roy").click();
    await until(() => called("POST", "/api/v1/console/asks/a1/requests").length === 1, "POST requests");
    expect(called("POST", "/api/v1/console/asks/a1/requests")[0]?.body).toEqual({ member_id: "dan" });
    const asked = section(el, "Who was asked and why");
    await until(() => asked.querySelectorAll("tbody tr").length === 3, "asked updated");
    expect(asked.textContent).toContain("Added by Sam Concierge");
    expect(asked.textContent).toContain("Added by the concierge.");
    expect(asked.querySelector("[role=status]")?.textContent).toBe("Dan Roy was asked and gets a notification now.");
    // Who was asked changed: the ranking is asked for again.
    await until(() => called("GET", "/api/v1/console/asks/a1/ranking").length === 2, "ranking again");
  });

  it("shows the server's refusal when a peer was already asked (409)", async () => {
    const { el } = setup({ "POST /api/v1/console/asks/a1/requests": { status: 409, body: { error: { code: "conflict", message: "Dan Roy was already asked." } } } });
    await loaded(el);
    const ranking = section(el, "Ranking");
    await until(() => ranking.querySelectorAll("tbody tr").length === 3);
    const ask = button(ranking, "Ask this peer: Dan Roy");
    ask.click();
    const asked = section(el, "Who was asked and why");
    await until(() => asked.querySelector("[role=alert]")?.textContent === "Dan Roy was already asked.", "409 shown");
    expect(ask.disabled).toBe(false);
  });

  it("withdraws an open request (DELETE /requests/{member})", async () => {
    const after = askView();
    (after.asked[1] as ConsoleAsk["asked"][number]).withdrawn = true;
    const { el, called } = setup({ "DELETE /api/v1/console/asks/a1/requests/ben": { body: after } });
    await loaded(el);
    const asked = section(el, "Who was asked and why");
    button(asked, "Withdraw the request to Ben Ito").click();
    await until(() => called("DELETE", "/api/v1/console/asks/a1/requests/ben").length === 1, "DELETE");
    await until(() => asked.querySelectorAll("button").length === 0, "no more withdraw");
    expect(asked.querySelector("tbody tr:nth-child(2)")?.textContent).toContain("Withdrawn");
  });

  it("curates the digest: PUT with the edited sentences and the answers left out", async () => {
    const curated = askView({ digest: { ...(askView().digest as NonNullable<ConsoleAsk["digest"]>), points: [{ answer_id: "x1", author: "Ana Silva", sentence: "Ana: charge at every break.", source: "concierge" }], curated_by: { id: "sam", name: "Sam Concierge" }, curated_at: new Date().toISOString() } });
    (curated.answers[1] as ConsoleAsk["answers"][number]).left_out = true;
    const { el, called } = setup({ "PUT /api/v1/console/asks/a1/digest": { body: curated } });
    await loaded(el);
    const digest = section(el, "Digest");
    const chen = [...el.querySelectorAll<HTMLElement>("li.console-answer")][1] as HTMLElement;
    const chenIn = labelled(chen, "In the digest");
    chenIn.checked = false;
    chenIn.dispatchEvent(new Event("change"));
    // Chen's point leaves the digest at once.
    expect(labelled<HTMLTextAreaElement>(digest, "Sentence from Chen Li").closest("li")?.hidden).toBe(true);
    const ana = labelled<HTMLTextAreaElement>(digest, "Sentence from Ana Silva");
    ana.value = " Ana: charge at every break. ";
    ana.dispatchEvent(new Event("input"));
    expect(digest.textContent).toContain("Unsaved changes");
    button(digest, "Save curation").click();
    await until(() => called("PUT", "/api/v1/console/asks/a1/digest").length === 1, "PUT digest");
    expect(called("PUT", "/api/v1/console/asks/a1/digest")[0]?.body).toEqual({
      points: [{ answer_id: "x1", sentence: "Ana: charge at every break." }],
      left_out: ["x2"],
    });
    await until(() => digest.querySelector(".digest-state")?.textContent?.startsWith("Curated by Sam Concierge") === true, "curated by");
    expect(digest.querySelector("[role=status]")?.textContent).toMatch(/^Curation saved/);
    expect(chenIn.checked).toBe(false);
  });

  it("gives an answer kept back in the digest a sentence to edit, from its text", async () => {
    const view = askView({ digest: { ...(askView().digest as NonNullable<ConsoleAsk["digest"]>), points: [{ answer_id: "x1", author: "Ana Silva", sentence: "Ana: charge at breaks." }] } });
    (view.answers[1] as ConsoleAsk["answers"][number]).left_out = true;
    const { el, called } = setup({ "PUT /api/v1/console/asks/a1/digest": { body: view } }, view);
    await loaded(el);
    const digest = section(el, "Digest");
    const chen = [...el.querySelectorAll<HTMLElement>("li.console-answer")][1] as HTMLElement;
    expect(labelled(chen, "In the digest").checked).toBe(false);
    expect(() => labelled(digest, "Sentence from Chen Li")).toThrow();
    labelled(chen, "In the digest").checked = true;
    labelled(chen, "In the digest").dispatchEvent(new Event("change"));
    expect(labelled<HTMLTextAreaElement>(digest, "Sentence from Chen Li").value).toBe("Check the charger firmware.");
    button(digest, "Save curation").click();
    await until(() => called("PUT", "/api/v1/console/asks/a1/digest").length === 1);
    expect(called("PUT", "/api/v1/console/asks/a1/digest")[0]?.body).toEqual({
      points: [
        { answer_id: "x1", sentence: "Ana: charge at breaks." },
        { answer_id: "x2", sentence: "Check the charger firmware." },
      ],
      left_out: [],
    });
  });

  it("Send to asker saves unsaved edits first, then sends", async () => {
    const sent = askView({ digest: { ...(askView().digest as NonNullable<ConsoleAsk["digest"]>), sent_at: new Date().toISOString() } });
    const { el, calls } = setup({ "PUT /api/v1/console/asks/a1/digest": { body: askView() }, "POST /api/v1/console/asks/a1/digest/send": { body: sent } });
    await loaded(el);
    const digest = section(el, "Digest");
    button(digest, "Send to asker").click();
    await until(() => calls.some((c) => c.path.endsWith("/digest/send")), "sent");
    expect(calls.some((c) => c.method === "PUT")).toBe(false); // nothing to save
    await until(() => digest.querySelector("[role=status]")?.textContent === "Sent to Claire Martin.");
    expect(digest.querySelector(".digest-state")?.textContent).toContain("Sent to the asker");

    const box = labelled<HTMLTextAreaElement>(digest, "Sentence from Chen Li");
    box.value = "Chen: firmware 2.1 fixed it.";
    box.dispatchEvent(new Event("input"));
    button(digest, "Send to asker").click();
    await until(() => calls.filter((c) => c.path.endsWith("/digest/send")).length === 2, "sent again");
    const order = calls.filter((c) => c.path.includes("/digest")).map((c) => `${c.method} ${c.path.split("/").slice(-2).join("/")}`);
    expect(order).toEqual(["POST digest/send", "PUT a1/digest", "POST digest/send"]);
  });

  it("shows the ask's history from the audit log", async () => {
    const { el, called } = setup({
      "GET /api/v1/console/audit": {
        body: { entries: [{ id: "e1", actor: { id: "sam", name: "Sam Concierge" }, action: "card.edit", subject_kind: "ask", subject_id: "a1", before: { title: "Old" }, after: { title: "New" }, at: new Date().toISOString(), at_ms: Date.now() }] },
      },
    });
    await loaded(el);
    const history = section(el, "History");
    await until(() => history.querySelectorAll("li.audit-entry").length === 1, "history");
    expect(called("GET", "/api/v1/console/audit?subject_kind=ask&subject_id=a1&limit=20")).toHaveLength(1);
    expect(history.textContent).toContain("Sam Concierge edited the card");
    expect(history.querySelector(".changes")?.textContent).toBe("title: “Old” →  changed to “New”");
  });

  it("splits tags on commas, without empties or repeats", () => {
    expect(parseTags(" a, b ,, A,c ")).toEqual(["a", "b", "c"]);
    expect(parseTags("")).toEqual([]);
  });
});
