// Audit entries, newest first, with "Older" to page back (before_ms): who did what to which
// subject, when, and what changed (before → after, changed keys only). The audit page shows
// all of them; an ask's page shows its own as "History".

import type { AuditEntry, AuditQuery } from "../api/console-types";
import { h } from "../ui/dom";
import { actionText, changes, keyText, showValue } from "./audit-diff";
import type { ConsoleContext } from "./context";
import { consoleHref } from "./routes";
import { errorText, when } from "./words";

export interface AuditListOptions {
  pageSize: number;
  /** The audit page names each entry's subject (a link for an ask); an ask's history does not. */
  showSubject: boolean;
  /** The list's accessible name. */
  label: string;
}

export function auditList(ctx: ConsoleContext, filter: Pick<AuditQuery, "subject_kind" | "subject_id">, opts: AuditListOptions): { el: HTMLElement; reload(): void } {
  const list = h("ol", { class: "audit", "aria-label": opts.label });
  const older = h("button", { type: "button", class: "secondary", hidden: true }, "Older");
  const status = h("p", { class: "status-left", role: "status" });
  let last: number | undefined;
  let seq = 0;

  async function load(more: boolean) {
    const mine = ++seq;
    older.disabled = true;
    status.textContent = "Loading…";
    try {
      const entries = await ctx.api.audit({ ...filter, before_ms: more ? last : undefined, limit: opts.pageSize });
      if (mine !== seq) return;
      const items = entries.map((e) => entry(e, opts.showSubject));
      if (more) list.append(...items);
      else list.replaceChildren(...items);
      last = entries.at(-1)?.at_ms ?? last;
      older.hidden = entries.length < opts.pageSize;
      const count = list.children.length;
      status.textContent = !count ? "Nothing recorded yet." : more ? `${entries.length} older ${entries.length === 1 ? "entry" : "entries"} shown.` : "";
      // Keyboard users carry on reading where the new entries start.
      if (more && items[0]) {
        items[0].tabIndex = -1;
        items[0].focus();
      }
    } catch (err) {
      if (mine === seq) status.textContent = errorText(err);
    } finally {
      older.disabled = false;
    }
  }
  older.addEventListener("click", () => void load(true));
  void load(false);
  return { el: h("div", { class: "audit-list" }, status, list, older), reload: () => void load(false) };
}

function entry(e: AuditEntry, showSubject: boolean): HTMLElement {
  const at = when(e.at ?? e.at_ms);
  const subject = showSubject ? subjectEl(e) : null;
  const found = changes(e.before, e.after);
  return h(
    "li",
    { class: "audit-entry", "data-action": e.action },
    h("p", { class: "audit-line" }, at ?? "", at ? " · " : "", h("strong", {}, e.actor?.name || "Someone"), " ", actionText(e.action), subject ? " · " : "", subject),
    found.length ? h("ul", { class: "changes", "aria-label": "Changes" }, ...found.map((c) => changeEl(c, e.before == null))) : null,
  );
}

function subjectEl(e: AuditEntry): Node {
  if (e.subject_kind === "ask") return h("a", { href: consoleHref({ name: "ask", id: e.subject_id }) }, `ask ${short(e.subject_id)}`);
  return document.createTextNode(`${e.subject_kind} ${short(e.subject_id)}`);
}

const short = (id: string) => (id.length > 12 ? id.slice(0, 8) : id);

/** "title: “Old” → “New”". Something created (no before) only shows its value. */
function changeEl(c: { key: string; before: unknown; after: unknown }, created: boolean): HTMLElement {
  const key = c.key ? h("span", { class: "change-key" }, `${keyText(c.key)}: `) : null;
  if (created) return h("li", {}, key, h("span", { class: "after" }, showValue(c.after)));
  return h(
    "li",
    {},
    key,
    h("span", { class: "before" }, showValue(c.before)),
    h("span", { "aria-hidden": "true" }, " → "),
    h("span", { class: "visually-hidden" }, " changed to "),
    h("span", { class: "after" }, showValue(c.after)),
  );
}
