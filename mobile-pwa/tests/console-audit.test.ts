// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/api/console-types";
import { actionText, changes, showValue } from "../src/console/audit-diff";
import { auditView } from "../src/console/audit-view";
import { button, consoleBackend } from "./console-fakes";
import { until } from "./fake-backend";

const sam = { id: "sam", name: "Sam Concierge" };
const at = (minutesAgo: number) => ({ at: new Date(Date.now() - minutesAgo * 60_000).toISOString(), at_ms: Date.now() - minutesAgo * 60_000 });
const entry = (id: string, over: Partial<AuditEntry>, minutesAgo: number): AuditEntry => ({ id, actor: sam, action: "card.edit", subject_kind: "ask", subject_id: "a1", before: null, after: null, ...at(minutesAgo), ...over });

const page1 = [
  entry("e3", { action: "card.edit", before: { title: "Forklift battery", summary: "Same.", tags: ["forklift"] }, after: { title: "Forklift batteries: 5 h", summary: "Same.", tags: ["forklift", "charging"] } }, 5),
  entry("e2", { action: "profile.edit", subject_kind: "member", subject_id: "ana", before: { team: "Ops", contact: { email: "a@x.org", phone: null } }, after: { team: "Ops", contact: { email: "ana@x.org", phone: null } } }, 60),
];
const page2 = [entry("e1", { action: "invite.create", subject_kind: "invite", subject_id: "i1", after: { name: "Chen Li", role: "manager" } }, 600)];

describe("what changed, before → after", () => {
  it("keeps only the keys that changed, nested ones by their path", () => {
    expect(changes({ title: "A", summary: "S" }, { title: "B", summary: "S" })).toEqual([{ key: "title", before: "A", after: "B" }]);
    expect(changes({ contact: { email: "a", phone: null } }, { contact: { email: "b", phone: null } })).toEqual([{ key: "contact.email", before: "a", after: "b" }]);
    expect(changes({ tags: ["a"] }, { tags: ["a", "b"] })).toEqual([{ key: "tags", before: ["a"], after: ["a", "b"] }]);
    expect(changes(null, { name: "Chen", role: "manager" })).toEqual([
      { key: "name", before: undefined, after: "Chen" },
      { key: "role", before: undefined, after: "manager" },
    ]);
    expect(changes({ paused: false }, { paused: true })).toEqual([{ key: "paused", before: false, after: true }]);
    expect(changes(null, null)).toEqual([]);
    expect(changes("open", "withdrawn")).toEqual([{ key: "", before: "open", after: "withdrawn" }]);
  });

  it("writes values and actions for people", () => {
    expect(showValue("x")).toBe("“x”");
    expect(showValue("")).toBe("(empty)");
    expect(showValue(null)).toBe("(none)");
    expect(showValue(["a", "b"])).toBe("a, b");
    expect(showValue(true)).toBe("yes");
    expect(showValue("y".repeat(200))).toHaveLength(163);
    expect(actionText("digest.send")).toBe("sent the digest");
    expect(actionText("something.new")).toBe("something.new");
  });
});

describe("the audit log", () => {
  it("lists entries newest first: when, who, action, subject (an ask links to its page), what changed", async () => {
    const b = consoleBackend({ "GET /api/v1/console/audit?limit=50": { body: { entries: page1 } } });
    const el = auditView(b.ctx);
    document.body.replaceChildren(el);
    await until(() => el.querySelectorAll("li.audit-entry").length === 2, "entries");
    expect(el.querySelector("h1")?.textContent).toBe("Audit log");
    const [edit, profile] = [...el.querySelectorAll<HTMLElement>("li.audit-entry")] as [HTMLElement, HTMLElement];
    expect(edit.querySelector(".audit-line")?.textContent).toBe("5 min ago · Sam Concierge edited the card · ask a1");
    expect(edit.querySelector(".audit-line a")?.getAttribute("href")).toBe("#/console/asks/a1");
    const lines = (li: HTMLElement) => [...li.querySelectorAll(".changes li")].map((c) => c.textContent);
    expect(lines(edit)).toEqual(["title: “Forklift battery” →  changed to “Forklift batteries: 5 h”", "tags: forklift →  changed to forklift, charging"]);
    expect(profile.querySelector(".audit-line a")).toBeNull();
    expect(profile.querySelector(".audit-line")?.textContent).toContain("edited a profile · member ana");
    expect(lines(profile)).toEqual(["contact email: “a@x.org” →  changed to “ana@x.org”"]);
  });

  it("pages back with Older (before_ms of the last entry shown)", async () => {
    const full = Array.from({ length: 50 }, (_, i) => entry(`p${i}`, { action: "ask.pause", before: { paused: false }, after: { paused: true } }, i + 1));
    const last = full.at(-1) as AuditEntry;
    const b = consoleBackend({
      "GET /api/v1/console/audit?limit=50": { body: { entries: full } },
      [`GET /api/v1/console/audit?before_ms=${last.at_ms}&limit=50`]: { body: { entries: page2 } },
    });
    const el = auditView(b.ctx);
    document.body.replaceChildren(el);
    await until(() => el.querySelectorAll("li.audit-entry").length === 50, "first page");
    const older = button(el, "Older");
    expect(older.hidden).toBe(false);
    older.click();
    await until(() => el.querySelectorAll("li.audit-entry").length === 51, "older page");
    const created = el.querySelectorAll<HTMLElement>("li.audit-entry")[50] as HTMLElement;
    // Something created has no before: only its values.
    expect([...created.querySelectorAll(".changes li")].map((c) => c.textContent)).toEqual(["name: “Chen Li”", "role: “manager”"]);
    expect(created.textContent).toContain("created an invite · invite i1");
    expect(document.activeElement).toBe(created);
    expect(older.hidden).toBe(true); // fewer than a page came back
  });
});
