// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { askPage } from "../src/ui/ask-page";
import { allByTestId, byTestId, fakeBackend, fakeContext, until, type Reply } from "./fake-backend";

const ask = {
  id: "a1",
  status: "answered",
  share_audio: true,
  card: { title: "Forklift battery dies mid-shift", summary: "Batteries last 5 h.", help_needed: "Who changed chargers?", tags: ["forklift"] },
  asked: [
    { member_id: "ben", name: "Ben Ito", rank: 2, state: "passed", reasons: { summary: "outside your team" } },
    { member_id: "ana", name: "Ana Silva", rank: 1, state: "answered", reasons: { summary: "close to their expertise (0.71); outside your team" } },
  ],
  answers: [
    { id: "x1", author: { id: "ana", name: "Ana Silva" }, text: "Opportunity charging at breaks.", via: "voice", created_at: "2025-03-10T11:00:00Z", helpful: null, contact: { email: "ana@example.com", phone: "+33612345678" } },
    { id: "x2", author: { id: "chen", name: "Chen Li" }, text: "Check the charger's firmware.", via: "text", helpful: true, contact: { email: null, phone: null } },
  ],
  digest: { text: "Ana: charge at breaks.\nChen: update the charger firmware.", points: [], sent_at: "2025-03-10T12:00:00Z" },
};

function setup(extra: Record<string, Reply> = {}, body: object = ask) {
  const b = fakeBackend({ "GET /api/v1/asks/a1": { body }, ...extra });
  const f = fakeContext(b.api);
  const opened: string[] = [];
  const el = askPage(f.ctx, "a1", { openLink: (href) => opened.push(href) });
  document.body.replaceChildren(el);
  return { ...b, ...f, el, opened };
}

const loaded = (el: HTMLElement) => until(() => el.querySelector("[data-testid=ask-status]") !== null || el.querySelector("form") !== null, "ask loaded");

describe("my ask's page", () => {
  it("puts the digest first, then the card, who was asked in rank order, and each answer", async () => {
    const { el } = setup();
    await loaded(el);
    const digest = byTestId(el, "digest");
    expect(digest.textContent).toContain("Ana: charge at breaks.");
    const title = byTestId(el, "card-title");
    expect(title.tagName).toBe("H1");
    expect(title.textContent).toBe("Forklift battery dies mid-shift");
    // Title, then the digest, then the card's details.
    expect(title.compareDocumentPosition(digest) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(digest.compareDocumentPosition(byTestId(el, "card-summary")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(byTestId(el, "ask-status").textContent).toBe("Answered");
    const asked = allByTestId(el, "asked-item");
    expect(asked.map((a) => a.getAttribute("value"))).toEqual(["1", "2"]);
    expect(asked[0]?.textContent).toContain("Ana Silva");
    expect(asked[0]?.textContent).toContain("Answered");
    expect(asked[0]?.textContent).toContain("close to their expertise");
    expect(asked[1]?.textContent).toContain("Passed");
    const answers = allByTestId(el, "answer-item");
    expect(answers).toHaveLength(2);
    expect(answers[0]?.textContent).toContain("Opportunity charging at breaks.");
    expect(answers[0]?.textContent).toContain("Spoken");
    expect(answers[1]?.textContent).toContain("Written");
  });

  it("says when the concierge edited the card, and nothing otherwise", async () => {
    const edited = setup({}, { ...ask, edited_by_concierge: true });
    await loaded(edited.el);
    expect(byTestId(edited.el, "concierge-edited").textContent).toBe("The concierge edited this card");
    expect(byTestId(edited.el, "card").contains(byTestId(edited.el, "concierge-edited"))).toBe(true);
    const plain = setup();
    await loaded(plain.el);
    expect(allByTestId(plain.el, "concierge-edited")).toHaveLength(0);
  });

  it("has no digest section before the digest exists, and says when no answer came yet", async () => {
    const { el } = setup({}, { ...ask, status: "routed", digest: null, answers: [] });
    await loaded(el);
    expect(allByTestId(el, "digest")).toHaveLength(0);
    expect(byTestId(el, "no-answers").textContent).toMatch(/No answers yet/);
  });

  it("rates an answer with POST /feedback; the pressed button is the rating", async () => {
    const { el, called } = setup({ "POST /api/v1/asks/a1/feedback": { status: 204 } });
    await loaded(el);
    const [first, second] = allByTestId(el, "answer-item") as [HTMLElement, HTMLElement];
    const helpful = byTestId(first, "helpful-button");
    expect(helpful.getAttribute("aria-pressed")).toBe("false");
    expect(byTestId(second, "helpful-button").getAttribute("aria-pressed")).toBe("true");
    helpful.click();
    expect(helpful.getAttribute("aria-pressed")).toBe("true");
    await until(() => called("POST", "/api/v1/asks/a1/feedback").length === 1);
    byTestId(second, "not-helpful-button").click();
    await until(() => called("POST", "/api/v1/asks/a1/feedback").length === 2);
    expect(called("POST", "/api/v1/asks/a1/feedback").map((c) => c.body)).toEqual([
      { answer_id: "x1", helpful: true },
      { answer_id: "x2", helpful: false },
    ]);
    expect(byTestId(second, "helpful-button").getAttribute("aria-pressed")).toBe("false");
    expect(byTestId(second, "not-helpful-button").getAttribute("aria-pressed")).toBe("true");
    // Pressing the current rating again sends nothing.
    helpful.click();
    expect(called("POST", "/api/v1/asks/a1/feedback")).toHaveLength(2);
  });

  it("puts a rating back when the server refuses it", async () => {
    const { el } = setup({ "POST /api/v1/asks/a1/feedback": { status: 500, body: { error: { code: "internal", message: "x" } } } });
    await loaded(el);
    const first = allByTestId(el, "answer-item")[0] as HTMLElement;
    byTestId(first, "helpful-button").click();
    await until(() => first.querySelector("[role=alert]:not([hidden])") !== null);
    expect(byTestId(first, "helpful-button").getAttribute("aria-pressed")).toBe("false");
  });

  it("offers only the contact channels the author has, records the contact, then opens the link", async () => {
    const { el, called, opened } = setup({ "POST /api/v1/asks/a1/contacts": (body) => ({ status: 201, body: { href: (body as { channel: string }).channel === "email" ? "mailto:ana@example.com" : "tel:+33612345678" } }) });
    await loaded(el);
    const [first, second] = allByTestId(el, "answer-item") as [HTMLElement, HTMLElement];
    expect(allByTestId(first, "contact-call")).toHaveLength(1);
    expect(allByTestId(first, "contact-message")).toHaveLength(1);
    expect(allByTestId(first, "contact-email")).toHaveLength(1);
    expect(second.querySelectorAll("[data-testid^=contact-]")).toHaveLength(0);
    byTestId(first, "contact-email").click();
    await until(() => opened.length === 1);
    expect(called("POST", "/api/v1/asks/a1/contacts")[0]?.body).toEqual({ member_id: "ana", channel: "email" });
    expect(opened).toEqual(["mailto:ana@example.com"]);
    byTestId(first, "contact-call").click();
    await until(() => opened.length === 2);
    expect(called("POST", "/api/v1/asks/a1/contacts")[1]?.body).toEqual({ member_id: "ana", channel: "call" });
  });

  it("opens a draft in the card editor, with similar asks and the share-audio choice", async () => {
    const { el, called, went } = setup(
      {
        "GET /api/v1/asks/a1/similar": {
          body: {
            similar: [1, 2, 3, 4].map((n) => ({ ask_id: `s${n}`, title: `Similar ${n}`, similarity: 0.9 - n / 10, best_answer: n === 2 ? null : { author: "Ana", text: `Answer ${n}` } })),
          },
        },
        "POST /api/v1/asks/a1/confirm": { body: {} },
      },
      { id: "a1", status: "draft", card: { title: "T", summary: "S", help_needed: "H", tags: [] } },
    );
    await loaded(el);
    const similar = byTestId(el, "similar-asks");
    await until(() => !similar.hidden);
    expect(similar.textContent).toContain("The network may already know");
    const items = similar.querySelectorAll("details");
    expect(items).toHaveLength(3);
    expect([...items].every((d) => !d.open)).toBe(true);
    expect(items[0]?.textContent).toContain("Answer 1");
    expect(items[1]?.textContent).toContain("No answer yet");
    const share = byTestId<HTMLInputElement>(el, "share-audio");
    expect(share.checked).toBe(false);
    share.checked = true;
    byTestId(el, "send-button").click();
    await until(() => went.length > 0);
    expect(called("POST", "/api/v1/asks/a1/confirm")[0]?.body).toEqual({ title: "T", summary: "S", help_needed: "H", share_audio: true });
  });

  it("shows nothing of similar asks when there are none or the server cannot say", async () => {
    const { el } = setup({}, { id: "a1", status: "draft", card: { title: "T", summary: "S", help_needed: "", tags: [] } });
    await loaded(el);
    await new Promise((r) => setTimeout(r, 10));
    expect(byTestId(el, "similar-asks").hidden).toBe(true);
    expect(byTestId<HTMLButtonElement>(el, "send-button").disabled).toBe(false);
  });
});
