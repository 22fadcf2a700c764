// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { queueView, type QueueParams } from "../src/console/queue-view";
import { button, consoleBackend, labelled } from "./console-fakes";
import { until, type Reply } from "./fake-backend";

const counts = { draft: 1, routed: 2, waiting: 0, answered: 3, closed: 4 };
const asks = [
  {
    id: "a2",
    state: "routed",
    status: "routed",
    asker: { id: "claire", name: "Claire Martin" },
    title: "Forklift battery dies mid-shift",
    summary: "Batteries last 5 h.",
    excerpt: "Our forklift batteries…",
    created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
    created_at_ms: Date.now() - 3 * 3600_000,
    paused: true,
    asked_count: 3,
    answer_count: 1,
    similarity: null,
  },
  {
    id: "a1",
    state: "draft",
    status: "draft",
    asker: { id: "ben", name: "Ben Ito" },
    title: null,
    summary: null,
    excerpt: "The label printer jams every morning when",
    created_at: new Date(Date.now() - 2 * 86400_000).toISOString(),
    created_at_ms: Date.now() - 2 * 86400_000,
    paused: false,
    asked_count: 0,
    answer_count: 0,
    similarity: null,
  },
];

function setup(routes: Record<string, Reply> = {}, initial: QueueParams = { state: "", q: "", similar: "" }) {
  const b = consoleBackend({ "GET /api/v1/console/asks": { body: { counts, asks } }, ...routes });
  const el = queueView(b.ctx, initial);
  document.body.replaceChildren(el);
  const rows = () => [...el.querySelectorAll<HTMLTableRowElement>("tbody tr")];
  return { ...b, el, rows, paths: () => b.calls.map((c) => c.path) };
}

describe("the queue", () => {
  it("lists asks newest first: title or a draft's excerpt, asker, age, counts, paused", async () => {
    const { el, rows } = setup();
    await until(() => rows().length === 2, "rows");
    expect(el.querySelector("h1")?.textContent).toBe("Queue");
    const [first, second] = rows() as [HTMLTableRowElement, HTMLTableRowElement];
    const cells = (r: HTMLTableRowElement) => [...r.cells].map((c) => c.textContent?.trim());
    expect(cells(first)).toEqual(["Forklift battery dies mid-shiftPaused", "Claire Martin", "3 h ago", "3", "1", "Routed"]);
    expect(first.querySelector("a")?.getAttribute("href")).toBe("#/console/asks/a2");
    expect(first.querySelector(".badge.paused")?.textContent).toBe("Paused");
    expect(cells(second)[0]).toBe("The label printer jams every morning when");
    expect(second.querySelector("a")?.classList.contains("excerpt")).toBe(true);
    expect(cells(second)[2]).toBe("2 days ago");
    expect(el.querySelector("[role=status]")?.textContent).toBe("2 asks.");
  });

  it("has a tab per state with its count; choosing one asks for that state", async () => {
    const { el, rows, paths, hashes } = setup({ "GET /api/v1/console/asks?state=answered": { body: { counts, asks: [] } } });
    await until(() => rows().length === 2);
    const tabs = [...el.querySelectorAll<HTMLButtonElement>("[role=tablist] [role=tab]")];
    expect(el.querySelector("[role=tablist]")?.getAttribute("aria-label")).toBe("Ask states");
    expect(tabs.map((t) => t.textContent?.replace(/\s+/g, " ").trim())).toEqual(["All 10", "Draft 1", "Routed 2", "Waiting 0", "Answered 3", "Closed 4"]);
    expect(tabs[0]?.getAttribute("aria-selected")).toBe("true");
    tabs[4]?.click();
    await until(() => paths().includes("/api/v1/console/asks?state=answered"), "state asked");
    await until(() => el.querySelector(".message")?.textContent === "No ask is answered right now.");
    expect(tabs[4]?.getAttribute("aria-selected")).toBe("true");
    expect(tabs[0]?.getAttribute("aria-selected")).toBe("false");
    expect(el.querySelector("[role=tabpanel]")?.getAttribute("aria-labelledby")).toBe(tabs[4]?.id);
    expect(hashes.at(-1)).toBe("#/console?state=answered");
    // Arrow keys move between tabs.
    tabs[4]?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await until(() => paths().includes("/api/v1/console/asks?state=closed"), "next tab");
  });

  it("searches by words with q, by meaning with similar, and keeps the state", async () => {
    const { el, rows, paths, hashes } = setup({}, { state: "routed", q: "", similar: "" });
    await until(() => rows().length === 2);
    expect(paths()).toEqual(["/api/v1/console/asks?state=routed"]);
    const search = labelled(el, "Search asks");
    expect(search.type).toBe("search");
    search.value = " forklift battery ";
    button(el, "Search").click();
    await until(() => paths().length === 2, "search sent");
    expect(paths()[1]).toBe("/api/v1/console/asks?state=routed&q=forklift+battery");
    expect(hashes.at(-1)).toBe("#/console?state=routed&q=forklift+battery");

    labelled(el, "Similar to").click();
    labelled(el, "Similar to").dispatchEvent(new Event("change"));
    search.value = "chargers wear out";
    button(el, "Search").click();
    await until(() => paths().length === 3, "similar sent");
    expect(paths()[2]).toBe("/api/v1/console/asks?state=routed&similar=chargers+wear+out");

    button(el, "Clear").click();
    await until(() => paths().length === 4, "cleared");
    expect(paths()[3]).toBe("/api/v1/console/asks?state=routed");
  });

  it("shows a similarity column in similar mode, and opens an ask from anywhere on its row", async () => {
    const { el, rows, went } = setup(
      { "GET /api/v1/console/asks?similar=battery": { body: { counts, asks: [{ ...asks[0], similarity: 0.834 }] } } },
      { state: "", q: "", similar: "battery" },
    );
    await until(() => rows().length === 1);
    expect([...el.querySelectorAll("thead th")].map((th) => th.textContent).at(-1)).toBe("Similarity");
    expect(rows()[0]?.cells[6]?.textContent).toBe("83%");
    (rows()[0]?.cells[1] as HTMLElement).click();
    expect(went).toEqual(["#/console/asks/a2"]);
  });

  it("says the page is for the concierge when the server refuses (403)", async () => {
    const { el } = setup({ "GET /api/v1/console/asks": { status: 403, body: { error: { code: "not_concierge", message: "concierge only" } } } });
    await until(() => el.querySelector("[role=status]")?.textContent === "This page is for the concierge.");
  });
});
