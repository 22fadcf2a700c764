// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { Health, HealthWeek } from "../src/api/console-types";
import { chart, scale } from "../src/console/chart";
import { healthView } from "../src/console/health-view";
import { consoleBackend } from "./console-fakes";
import { until } from "./fake-backend";

const week = (week_start: string, over: Partial<HealthWeek> = {}): HealthWeek => ({
  week_start,
  asks: 4,
  answered_share: 0.75,
  first_answer_median_minutes: 12.5,
  first_answer_p90_minutes: 40,
  answers_per_ask: 1.5,
  helpful: 3,
  not_helpful: 1,
  helpful_share: 0.75,
  contact_share: 0.25,
  ...over,
});

const health: Health = {
  weeks: [
    week("2026-11-02"),
    // An empty week: zeros and nulls.
    week("2026-11-09", { asks: 0, answered_share: null, first_answer_median_minutes: null, first_answer_p90_minutes: null, answers_per_ask: null, helpful: 0, not_helpful: 0, helpful_share: null, contact_share: null }),
    week("2026-11-16", { asks: 7, answered_share: 1, contact_share: 0.5, first_answer_median_minutes: 95 }),
  ],
  totals: { asks: 11, answered_share: 0.82, first_answer_median_minutes: 20, first_answer_p90_minutes: 70, answers_per_ask: 1.4, helpful: 6, not_helpful: 2, helpful_share: 0.75, contact_share: 0.364 },
};

describe("the chart module", () => {
  it("draws a line per series, broken where a value is missing, with labelled axes and a table", () => {
    const el = chart({
      title: "Answered, direct contact",
      kind: "line",
      labels: ["w1", "w2", "w3", "w4"],
      series: [
        { name: "Answered", values: [0.5, null, 0.75, 1] },
        { name: "Direct contact", values: [0.25, 0.5, null, null] },
      ],
      xLabel: "Week starting",
      yLabel: "Share of asks",
      format: (v) => `${Math.round(v * 100)}%`,
      max: 1,
    });
    document.body.replaceChildren(el);
    expect(el.tagName).toBe("FIGURE");
    const title = el.querySelector("h2");
    expect(title?.textContent).toBe("Answered, direct contact");
    const svg = el.querySelector("svg.chart-svg") as SVGElement;
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-labelledby")).toContain(title?.id);
    expect(svg.querySelector("desc")?.textContent).toMatch(/^Line chart of Answered, Direct contact, 4 weeks from w1 to w4/);
    expect([...svg.querySelectorAll(".axis-label")].map((t) => t.textContent)).toEqual(["Week starting", "Share of asks"]);
    expect([...svg.querySelectorAll(".tick text")].map((t) => t.textContent)).toEqual(["0%", "25%", "50%", "75%", "100%"]);
    const [answered, contact] = [...svg.querySelectorAll("path.line")].map((p) => p.getAttribute("d") ?? "");
    // Two stretches for Answered (the null breaks it), one for Direct contact.
    expect(answered?.match(/M/g)).toHaveLength(2);
    expect(contact?.match(/M/g)).toHaveLength(1);
    expect(svg.querySelectorAll(".series-0 circle")).toHaveLength(3);
    expect(svg.querySelectorAll(".series-1 circle")).toHaveLength(2);
    expect(svg.querySelector(".series-0 circle title")?.textContent).toBe("Answered, w1: 50%");

    const table = el.querySelector("table") as HTMLTableElement;
    expect(table.querySelector("caption")?.textContent).toBe("Answered, direct contact");
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["Week starting", "Answered", "Direct contact"]);
    const rows = [...table.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ["w1", "50%", "25%"],
      ["w2", "—no data", "50%"],
      ["w3", "75%", "—no data"],
      ["w4", "100%", "—no data"],
    ]);
    expect(el.querySelectorAll(".legend li")).toHaveLength(2);
  });

  it("keeps the table for screen readers and shows it on screen with Show numbers", () => {
    const el = chart({ title: "Asks per week", kind: "bar", labels: ["a", "b"], series: [{ name: "Asks", values: [3, 0] }], xLabel: "Week starting", yLabel: "Asks", format: String, integer: true });
    const box = el.querySelector(".chart-table") as HTMLElement;
    const toggle = [...el.querySelectorAll("button")].find((b) => b.textContent === "Show numbers") as HTMLButtonElement;
    expect(box.classList.contains("visually-hidden")).toBe(true);
    expect(box.hidden).toBe(false); // still in the accessibility tree
    expect(toggle.getAttribute("aria-controls")).toBe(box.id);
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.click();
    expect(box.classList.contains("visually-hidden")).toBe(false);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(toggle.textContent).toBe("Hide numbers");
    expect(el.querySelectorAll("rect.bar")).toHaveLength(2);
    expect(el.querySelector(".legend")).toBeNull(); // one series: the title says it all
  });

  it("picks round scales: shares to 100%, counts in whole steps, something when all is empty", () => {
    expect(scale([0.3], 1)).toEqual({ top: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(scale([3, 1, null], undefined, true)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(scale([37])).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(scale([null, null], undefined, true).top).toBe(4);
    expect(scale([]).top).toBe(1);
  });
});

describe("network health", () => {
  it("puts the share of asks with direct contact first, the other totals beside, and one chart per measure", async () => {
    const b = consoleBackend({ "GET /api/v1/console/health?weeks=12": { body: health } });
    const el = healthView(b.ctx);
    document.body.replaceChildren(el);
    await until(() => el.querySelectorAll("figure.chart").length === 4, "charts");
    expect(el.querySelector(".headline")?.textContent).toBe("36% of asks led to direct contact between the asker and a peer");
    const figures = [...el.querySelectorAll(".figure")].map((f) => [f.querySelector("dt")?.textContent, f.querySelector("dd")?.textContent]);
    expect(figures).toEqual([
      ["Asks", "11"],
      ["Answered", "82%"],
      ["Rated helpful", "75% (6 helpful, 2 not)"],
      ["First answer, median", "20 min"],
      ["First answer, 90th percentile", "70 min"],
      ["Answers per ask", "1.4"],
    ]);
    expect([...el.querySelectorAll("figure.chart h2")].map((h) => h.textContent)).toEqual(["Asks per week", "Answered, direct contact, helpful", "Time to first answer", "Answers per ask"]);
    const [asks, shares, times] = [...el.querySelectorAll("figure.chart")] as HTMLElement[];
    expect(asks?.querySelectorAll("rect.bar")).toHaveLength(3); // a zero week is a bar of height 0
    expect(shares?.querySelectorAll("path.line")).toHaveLength(3);
    // The empty week breaks each line and is "no data" in the table.
    expect(shares?.querySelector(".series-0 path")?.getAttribute("d")?.match(/M/g)).toHaveLength(2);
    expect(shares?.querySelector("tbody tr:nth-child(2)")?.textContent).toContain("no data");
    expect(times?.querySelector("tbody tr:nth-child(3)")?.textContent).toContain("1.6 h");
  });

  it("asks for another period", async () => {
    const b = consoleBackend({ "GET /api/v1/console/health": { body: { weeks: [], totals: health.totals } } });
    const el = healthView(b.ctx);
    document.body.replaceChildren(el);
    await until(() => el.textContent?.includes("No weeks to show yet.") === true);
    const period = el.querySelector("#health-weeks") as HTMLSelectElement;
    expect(el.querySelector(`label[for=${period.id}]`)?.textContent).toBe("Period");
    period.value = "26";
    period.dispatchEvent(new Event("change"));
    await until(() => b.calls.some((c) => c.path === "/api/v1/console/health?weeks=26"));
  });
});

describe("time scales", () => {
  it("steps in minutes and hours people read, not 50-minute steps", () => {
    const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
    expect(scale([200], undefined, false, steps)).toEqual({ top: 240, ticks: [0, 60, 120, 180, 240] });
    expect(scale([12.5, 40], undefined, false, steps)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    // Past the largest step: whole multiples of it (two days here).
    expect(scale([9000], undefined, false, steps)).toEqual({ top: 11520, ticks: [0, 2880, 5760, 8640, 11520] });
  });
});
