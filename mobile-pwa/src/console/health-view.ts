// Network health (#/console/health): the totals on top, the headline first (the share of asks
// that led to direct contact: the service's success is people calling each other), then one
// small chart per measure, week by week.

import type { Health } from "../api/console-types";
import { h } from "../ui/dom";
import { chart } from "./chart";
import type { ConsoleContext } from "./context";
import { decimal, duration, errorText, percent } from "./words";

const WEEKS = [8, 12, 26, 52];

/** "2026-11-16" → "16 Nov" (a week start, in UTC like the server's weeks). */
export function weekText(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : new Date(t).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
}

export function healthView(ctx: ConsoleContext, weeks = 12): HTMLElement {
  const select = h("select", { id: "health-weeks" }, ...WEEKS.map((w) => h("option", { value: w }, `Last ${w} weeks`)));
  select.value = String(weeks);
  const status = h("p", { class: "status-left", role: "status" });
  const body = h("div", { class: "health-body" });

  let seq = 0;
  async function load() {
    const mine = ++seq;
    status.textContent = "Loading…";
    body.setAttribute("aria-busy", "true");
    try {
      const health = await ctx.api.health(Number(select.value));
      if (mine !== seq) return;
      body.replaceChildren(...render(health));
      status.textContent = "";
    } catch (err) {
      if (mine === seq) status.textContent = errorText(err);
    } finally {
      if (mine === seq) body.setAttribute("aria-busy", "false");
    }
  }
  select.addEventListener("change", () => void load());
  void load();

  return h(
    "section",
    { class: "health-view" },
    h("div", { class: "row" }, h("h1", {}, "Network health"), h("div", { class: "field inline-field" }, h("label", { for: select.id }, "Period"), select)),
    h("p", { class: "meta" }, "Confirmed asks, by the week they were asked (weeks start on Monday, UTC)."),
    status,
    body,
  );
}

export function render(health: Health): Node[] {
  const weeks = Array.isArray(health.weeks) ? health.weeks : [];
  const t = health.totals ?? ({} as Partial<Health["totals"]>);
  const labels = weeks.map((w) => w.week_start);
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const common = { labels, labelText: weekText, xLabel: "Week starting" };

  const totals = h(
    "section",
    { class: "totals", "aria-labelledby": "totals-heading" },
    h("h2", { id: "totals-heading", class: "visually-hidden" }, "Totals for the period"),
    h("p", { class: "headline" }, h("span", { class: "headline-number" }, percent(t.contact_share)), h("span", { class: "headline-text" }, " of asks led to direct contact between the asker and a peer")),
    h(
      "dl",
      { class: "figures" },
      figure("Asks", String(t.asks ?? 0)),
      figure("Answered", percent(t.answered_share)),
      figure("Rated helpful", percent(t.helpful_share), `${t.helpful ?? 0} helpful, ${t.not_helpful ?? 0} not`),
      figure("First answer, median", duration(t.first_answer_median_minutes)),
      figure("First answer, 90th percentile", duration(t.first_answer_p90_minutes)),
      figure("Answers per ask", decimal(t.answers_per_ask, 1)),
    ),
  );

  if (!weeks.length) return [totals, h("p", { class: "message" }, "No weeks to show yet.")];
  return [
    totals,
    h(
      "div",
      { class: "charts" },
      chart({ ...common, title: "Asks per week", kind: "bar", series: [{ name: "Asks", values: weeks.map((w) => w.asks) }], yLabel: "Asks", format: (v) => String(Math.round(v)), integer: true }),
      chart({
        ...common,
        title: "Answered, direct contact, helpful",
        kind: "line",
        series: [
          { name: "Answered", values: weeks.map((w) => w.answered_share) },
          { name: "Direct contact", values: weeks.map((w) => w.contact_share) },
          { name: "Rated helpful", values: weeks.map((w) => w.helpful_share) },
        ],
        yLabel: "Share of asks",
        format: pct,
        max: 1,
      }),
      chart({
        ...common,
        title: "Time to first answer",
        kind: "line",
        series: [
          { name: "Median", values: weeks.map((w) => w.first_answer_median_minutes) },
          { name: "90th percentile", values: weeks.map((w) => w.first_answer_p90_minutes) },
        ],
        yLabel: "Time",
        format: (v) => duration(v),
        tickFormat: (v) => (v < 60 ? `${v} min` : `${Number((v / 60).toFixed(1))} h`),
        steps: [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440],
      }),
      chart({ ...common, title: "Answers per ask", kind: "line", series: [{ name: "Answers per ask", values: weeks.map((w) => w.answers_per_ask) }], yLabel: "Answers", format: (v) => decimal(v, 1) }),
    ),
  ];
}

function figure(label: string, value: string, note?: string): HTMLElement {
  return h("div", { class: "figure" }, h("dt", {}, label), h("dd", {}, value, note ? h("span", { class: "meta" }, ` (${note})`) : null));
}
