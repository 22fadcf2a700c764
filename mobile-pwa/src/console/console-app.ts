// The concierge console's frame: a nav on the left (on top on a narrow screen) and the page,
// each page loaded on its first visit. Reached only through app/console-gate.ts, which has
// checked that the member is a concierge (the server refuses everyone else anyway).

// The network screens' styles (meta text, field errors, fieldsets) are the console's too.
import "../ui/network.css";
import "./console.css";
import { h } from "../ui/dom";
import type { ConsoleContext } from "./context";
import { consoleHref, parseConsole, QUEUE, type ConsolePage } from "./routes";

const pages = {
  queue: () => import("./queue-view"),
  ask: () => import("./ask-view"),
  members: () => import("./members-view"),
  health: () => import("./health-view"),
  audit: () => import("./audit-view"),
};

type Section = "queue" | "members" | "health" | "audit";

export async function consoleScreen(ctx: ConsoleContext, path: string, query: string): Promise<HTMLElement> {
  const page = parseConsole(path, query);
  const content = await render(ctx, page);
  return h("div", { class: "console" }, consoleNav(page.name === "ask" ? "queue" : page.name), h("div", { class: "console-page" }, content));
}

async function render(ctx: ConsoleContext, page: ConsolePage): Promise<HTMLElement> {
  switch (page.name) {
    case "queue":
      return (await pages.queue()).queueView(ctx, page);
    case "ask":
      return (await pages.ask()).askView(ctx, page.id);
    case "members":
      return (await pages.members()).membersView(ctx);
    case "health":
      return (await pages.health()).healthView(ctx);
    case "audit":
      return (await pages.audit()).auditView(ctx);
  }
}

export function consoleNav(current: Section): HTMLElement {
  const entries: [Section, string, string][] = [
    ["queue", "Queue", consoleHref(QUEUE)],
    ["members", "Members", consoleHref({ name: "members" })],
    ["health", "Health", consoleHref({ name: "health" })],
    ["audit", "Audit log", consoleHref({ name: "audit" })],
  ];
  return h(
    "nav",
    { class: "console-nav", "aria-label": "Console" },
    h("p", { class: "console-brand" }, "Concierge console"),
    h("ul", {}, ...entries.map(([section, label, href]) => h("li", {}, h("a", { href, "aria-current": section === current ? "page" : null }, label)))),
    h("a", { href: "#/", class: "console-exit" }, "← Back to the app"),
  );
}
