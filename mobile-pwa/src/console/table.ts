// The console's tables: a caption for screen readers, column headers, and each cell labelled
// with its column so that a narrow screen can show rows as stacked cards (console.css).

import { h } from "../ui/dom";

export function table(caption: string, headers: string[], rows: (Node | string)[][], opts: { rowAttrs?: (i: number) => Record<string, string> } = {}): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "console-table" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col" }, text || h("span", { class: "visually-hidden" }, "Actions"))))),
      h(
        "tbody",
        {},
        ...rows.map((cells, i) => h("tr", opts.rowAttrs?.(i) ?? {}, ...cells.map((cell, col) => h("td", { "data-label": headers[col] ?? "" }, cell)))),
      ),
    ),
  );
}
