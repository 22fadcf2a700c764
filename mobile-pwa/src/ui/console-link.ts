// "Concierge console" in the header, shown to a concierge only: GET /me decides; offline, the
// role the member had when they joined.

import type { Member } from "../api/client";
import { h } from "./dom";

export function consoleLink(whoami: () => Promise<Member>, stored: () => Member | null): HTMLAnchorElement {
  const link = h("a", { href: "#/console", class: "console-link", hidden: true }, "Concierge console");
  whoami().then(
    (m) => (link.hidden = m.role !== "concierge"),
    () => (link.hidden = stored()?.role !== "concierge"),
  );
  return link;
}
