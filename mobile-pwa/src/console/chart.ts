// Small SVG charts (bars or lines over a few weeks), no library: a title, labelled axes, a
// legend, tooltips, and the same numbers in a table that screen readers always reach and that
// "Show numbers" reveals on screen. Missing values (null) break a line and are "—" in the table.

import { h } from "../ui/dom";

export interface ChartSeries {
  name: string;
  values: (number | null)[];
}

export interface ChartOptions {
  title: string;
  kind: "bar" | "line";
  /** One per x position, oldest first (week starts). */
  labels: string[];
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** A value as text: tooltips, the table, and ticks unless `tickFormat` says otherwise. */
  format(value: number): string;
  tickFormat?(value: number): string;
  /** A label as text (a date written short). */
  labelText?(label: string): string;
  /** The top of the scale (1 for shares); otherwise a round number above the largest value. */
  max?: number;
  /** Whole-number ticks (counts). */
  integer?: boolean;
  /** The tick steps allowed, smallest first (minutes: 15, 30, 60, 120…); otherwise 1-2-5. */
  steps?: number[];
}

const W = 640;
const H = 260;
const M = { left: 64, right: 16, top: 14, bottom: 56 };
const NS = "http://www.w3.org/2000/svg";
const DASHES = ["", "7 4", "2 4", "10 3 2 3"];

let uid = 0;

function svg(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children) el.append(child);
  return el;
}

/** Ticks from 0 to a round top: 0–1 by quarters for shares, 1-2-5 steps otherwise. */
export function scale(values: (number | null)[], max?: number, integer = false, steps?: number[]): { top: number; ticks: number[] } {
  if (max !== undefined) return { top: max, ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => f * max) };
  const biggest = Math.max(0, ...values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)));
  if (biggest === 0) return { top: integer ? 4 : 1, ticks: integer ? [0, 1, 2, 3, 4] : [0, 0.25, 0.5, 0.75, 1] };
  const raw = biggest / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = steps?.length ? (steps.find((s) => s >= raw) ?? (steps.at(-1) as number) * Math.ceil(raw / (steps.at(-1) as number))) : ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  if (integer) step = Math.max(1, Math.round(step));
  const top = step * Math.ceil(biggest / step);
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 1000; t += step) ticks.push(Number(t.toFixed(10)));
  return { top, ticks };
}

export function chart(o: ChartOptions): HTMLElement {
  const id = `chart-${++uid}`;
  const n = o.labels.length;
  const labelText = o.labelText ?? ((l: string) => l);
  const { top, ticks } = scale(o.series.flatMap((s) => s.values), o.max, o.integer, o.steps);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotW / Math.max(1, n);
  const x = (i: number) => M.left + band * (i + 0.5);
  const y = (v: number) => M.top + plotH - (Math.min(v, top) / top) * plotH;

  const grid = ticks.map((t) =>
    svg("g", { class: "tick" }, svg("line", { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: "grid" }), svg("text", { x: M.left - 8, y: y(t) + 4, "text-anchor": "end" }, (o.tickFormat ?? o.format)(t))),
  );
  const every = Math.ceil(n / 8);
  const xTicks = o.labels.map((l, i) => (i % every === 0 ? svg("text", { x: x(i), y: H - M.bottom + 18, "text-anchor": "middle" }, labelText(l)) : null)).filter((t): t is SVGElement => t !== null);
  const axes = [
    svg("line", { x1: M.left, x2: W - M.right, y1: M.top + plotH, y2: M.top + plotH, class: "axis" }),
    svg("text", { x: M.left + plotW / 2, y: H - 8, "text-anchor": "middle", class: "axis-label" }, o.xLabel),
    svg("text", { x: 14, y: M.top + plotH / 2, "text-anchor": "middle", class: "axis-label", transform: `rotate(-90 14 ${M.top + plotH / 2})` }, o.yLabel),
  ];
  const marks = o.series.map((s, si) => (o.kind === "bar" ? bars(s, si) : line(s, si)));

  function bars(s: ChartSeries, si: number): SVGElement {
    const width = (band * 0.7) / o.series.length;
    const g = svg("g", { class: `series series-${si}` });
    s.values.forEach((v, i) => {
      if (typeof v !== "number") return;
      const left = x(i) - (band * 0.7) / 2 + width * si;
      g.append(svg("rect", { x: left, y: y(v), width: Math.max(1, width - 2), height: Math.max(0, M.top + plotH - y(v)), class: "bar" }, svg("title", {}, `${labelText(o.labels[i] ?? "")}: ${o.format(v)}`)));
    });
    return g;
  }

  function line(s: ChartSeries, si: number): SVGElement {
    // A null breaks the line: the next point starts a new stretch.
    let d = "";
    let drawing = false;
    const dots: SVGElement[] = [];
    s.values.forEach((v, i) => {
      if (typeof v !== "number") {
        drawing = false;
        return;
      }
      d += `${drawing ? "L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      drawing = true;
      dots.push(svg("circle", { cx: x(i), cy: y(v), r: 3.5, class: "dot" }, svg("title", {}, `${s.name}, ${labelText(o.labels[i] ?? "")}: ${o.format(v)}`)));
    });
    const path = svg("path", { d: d.trim(), class: "line", fill: "none" });
    if (DASHES[si % DASHES.length]) path.setAttribute("stroke-dasharray", DASHES[si % DASHES.length] as string);
    return svg("g", { class: `series series-${si}` }, path, ...dots);
  }

  const first = labelText(o.labels[0] ?? "");
  const last = labelText(o.labels[n - 1] ?? "");
  const what = o.series.map((s) => s.name).join(", ");
  const picture = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`, class: "chart-svg", preserveAspectRatio: "xMidYMid meet" },
    svg("desc", { id: `${id}-desc` }, `${o.kind === "bar" ? "Bar" : "Line"} chart of ${what}, ${n} ${n === 1 ? "week" : "weeks"}${n ? ` from ${first} to ${last}` : ""}. The numbers are in the table that follows.`),
    ...grid,
    ...axes,
    ...xTicks,
    ...marks,
  );

  const legend =
    o.series.length > 1
      ? h("ul", { class: "legend", "aria-hidden": "true" }, ...o.series.map((s, si) => h("li", { class: `series-${si}` }, legendMark(si), s.name)))
      : null;

  const tableBox = h(
    "div",
    { id: `${id}-table`, class: "chart-table visually-hidden" },
    h(
      "table",
      { class: "console-table" },
      h("caption", {}, o.title),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, o.xLabel), ...o.series.map((s) => h("th", { scope: "col" }, s.name)))),
      h("tbody", {}, ...o.labels.map((l, i) => h("tr", {}, h("th", { scope: "row" }, labelText(l)), ...o.series.map((s) => h("td", {}, cell(s.values[i] ?? null, o.format)))))),
    ),
  );
  const toggle = h("button", { type: "button", class: "link", "aria-expanded": "false", "aria-controls": tableBox.id }, "Show numbers");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide numbers" : "Show numbers";
    tableBox.classList.toggle("visually-hidden", !open);
  });

  return h("figure", { class: "chart", "aria-labelledby": `${id}-title` }, h("figcaption", {}, h("h2", { id: `${id}-title` }, o.title)), picture, legend, toggle, tableBox);
}

function legendMark(si: number): SVGElement {
  const mark = svg("svg", { width: 28, height: 10, viewBox: "0 0 28 10", class: "legend-mark" }, svg("line", { x1: 1, x2: 27, y1: 5, y2: 5, class: "line" }));
  const dash = DASHES[si % DASHES.length];
  if (dash) mark.firstElementChild?.setAttribute("stroke-dasharray", dash);
  return mark;
}

function cell(v: number | null, format: (v: number) => string): Node {
  if (typeof v === "number" && Number.isFinite(v)) return document.createTextNode(format(v));
  return h("span", {}, h("span", { "aria-hidden": "true" }, "—"), h("span", { class: "visually-hidden" }, "no data"));
}
