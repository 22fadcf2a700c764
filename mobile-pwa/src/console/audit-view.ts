// The audit log (#/console/audit): every change a concierge made, newest first.

import { h } from "../ui/dom";
import { auditList } from "./audit-list";
import type { ConsoleContext } from "./context";

export function auditView(ctx: ConsoleContext): HTMLElement {
  const list = auditList(ctx, {}, { pageSize: 50, showSubject: true, label: "Audit log entries" });
  return h(
    "section",
    { class: "audit-view" },
    h("h1", {}, "Audit log"),
    h("p", { class: "meta" }, "Who changed what, newest first. Only what changed is shown: before → after."),
    list.el,
  );
}
