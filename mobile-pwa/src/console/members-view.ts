// Members (#/console/members): who is in the network and how loaded they are, invites (a
// single-use link to copy), deactivate / reactivate, and each member's profile to edit.

import type { ConsoleMember } from "../api/console-types";
import { h } from "../ui/dom";
import type { ConsoleContext } from "./context";
import { inviteForm } from "./invite-form";
import { editProfile } from "./member-profile";
import { table } from "./table";
import { errorText } from "./words";

const ROLE: Record<string, string> = { manager: "Manager", concierge: "Concierge" };

export function membersView(ctx: ConsoleContext): HTMLElement {
  const status = h("p", { class: "status-left", role: "status" });
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const body = h("div", {});
  let members: ConsoleMember[] = [];

  const say = (text: string, failed = false) => {
    status.textContent = failed ? "" : text;
    error.textContent = failed ? text : "";
    error.hidden = !failed;
  };

  async function load() {
    status.textContent = "Loading members…";
    try {
      members = await ctx.api.members();
      show();
      status.textContent = `${members.length} ${members.length === 1 ? "member" : "members"}.`;
    } catch (err) {
      say(errorText(err), true);
    }
  }

  function replace(member: ConsoleMember) {
    members = members.map((m) => (m.id === member.id ? { ...m, ...member } : m));
    show();
  }

  async function setActive(member: ConsoleMember, active: boolean) {
    try {
      const updated = active ? await ctx.api.reactivate(member.id) : await ctx.api.deactivate(member.id);
      replace({ ...member, ...(updated ?? {}), active });
      say(active ? `${member.name} is active again.` : `${member.name} is deactivated: they cannot sign in and are never asked.`);
      // The button changed; keep the keyboard where it was.
      focusIn(member.id, ".toggle-active");
    } catch (err) {
      say(errorText(err), true);
    }
  }

  /** The table is drawn again after a change: the keyboard goes back to the same button. */
  function focusIn(memberId: string, selector: string) {
    const row = [...body.querySelectorAll<HTMLElement>("tr[data-member-id]")].find((tr) => tr.dataset.memberId === memberId);
    row?.querySelector<HTMLButtonElement>(selector)?.focus();
  }

  function show() {
    body.replaceChildren(
      members.length
        ? table(
            "Members",
            ["Name", "Role", "Active", "Team / site", "Open requests", "Asked this week", "Answered", "Passed", ""],
            members.map((m) => {
              const p = m.profile ?? {};
              const load = m.load;
              const toggle = h(
                "button",
                { type: "button", class: "secondary small toggle-active", "aria-label": `${m.active ? "Deactivate" : "Reactivate"} ${m.name}` },
                m.active ? "Deactivate" : "Reactivate",
              );
              toggle.addEventListener("click", () => {
                toggle.disabled = true;
                void setActive(m, !m.active).finally(() => (toggle.disabled = false));
              });
              const edit = h("button", { type: "button", class: "secondary small edit-profile", "aria-label": `Edit profile of ${m.name}` }, "Edit profile");
              edit.addEventListener("click", () =>
                editProfile(ctx, m, el, edit, (profile) => {
                  replace({ ...m, profile });
                  say(`${m.name}’s profile is saved.`);
                  focusIn(m.id, ".edit-profile");
                }),
              );
              return [
                h("strong", {}, m.name),
                ROLE[m.role] ?? m.role,
                m.active ? "Active" : h("span", { class: "badge inactive" }, "Deactivated"),
                [p.team, p.site].filter(Boolean).join(" / ") || "—",
                String(load?.open_requests ?? "—"),
                load ? `${load.asked_this_week} / ${load.weekly_budget}` : "—",
                String(load?.answered ?? "—"),
                String(load?.passed ?? "—"),
                h("div", { class: "actions start" }, edit, toggle),
              ];
            }),
            { rowAttrs: (i) => ({ "data-member-id": members[i]?.id ?? "" }) },
          )
        : h("p", { class: "message" }, "No members yet. Invite the first ones above."),
    );
  }

  const el = h(
    "section",
    { class: "members-view" },
    h("h1", {}, "Members"),
    inviteForm(ctx, () => void load()),
    h("section", { class: "console-panel", "aria-labelledby": "members-heading" }, h("h2", { id: "members-heading" }, "Everyone"), status, error, body),
  );
  void load();
  return el;
}
