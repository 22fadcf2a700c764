// The bottom navigation: Talk, My asks, Inbox (with the count of requests waiting for me),
// Profile. Within thumb reach on a phone; the current screen is marked with aria-current.

import { hrefFor, type Route } from "../app/routes";
import { h } from "./dom";

type Section = "talk" | "asks" | "inbox" | "profile";

/** Which nav entry a screen belongs to. */
export function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case "ask":
      return "asks";
    case "request":
      return "inbox";
    case "console":
      return null;
    default:
      return route.name;
  }
}

export interface BottomNav {
  el: HTMLElement;
  setCurrent(route: Route): void;
  setInboxCount(open: number): void;
}

export function bottomNav(): BottomNav {
  const count = h("span", { class: "count", "data-testid": "inbox-count", "aria-hidden": "true", hidden: true });
  const countText = h("span", { class: "visually-hidden" });
  const links: Record<Section, HTMLAnchorElement> = {
    talk: h("a", { href: hrefFor({ name: "talk" }), "data-testid": "nav-talk" }, "Talk"),
    asks: h("a", { href: hrefFor({ name: "asks" }), "data-testid": "nav-asks" }, "My asks"),
    inbox: h("a", { href: hrefFor({ name: "inbox" }), "data-testid": "nav-inbox" }, "Inbox", count, countText),
    profile: h("a", { href: hrefFor({ name: "profile" }), "data-testid": "nav-profile" }, "Profile"),
  };
  const el = h("nav", { class: "bottom-nav", "aria-label": "Main" }, ...Object.values(links));
  return {
    el,
    setCurrent(route) {
      const current = sectionOf(route);
      for (const [section, link] of Object.entries(links)) {
        if (section === current) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
    },
    setInboxCount(open) {
      count.hidden = open <= 0;
      count.textContent = open > 99 ? "99+" : String(open);
      countText.textContent = open > 0 ? `, ${open} waiting for you` : "";
    },
  };
}
