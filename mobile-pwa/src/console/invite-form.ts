// Invite someone: a name and a role give a single-use link, shown once with a copy button.
// The audit log keeps the name and role, never the code.

import type { InviteRole } from "../api/console-types";
import { h } from "../ui/dom";
import type { ConsoleContext } from "./context";
import { errorText } from "./words";

export function inviteForm(ctx: ConsoleContext, invited: () => void): HTMLElement {
  const name = h("input", { id: "invite-name", type: "text", autocomplete: "off", required: true });
  const role = h("select", { id: "invite-role" }, h("option", { value: "manager" }, "Manager"), h("option", { value: "concierge" }, "Concierge"));
  const submit = h("button", { type: "submit", class: "primary" }, "Create invite link");
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const link = h("input", { id: "invite-link", type: "text", readonly: true });
  const linkLabel = h("label", { for: "invite-link" }, "Invite link");
  const copy = h("button", { type: "button", class: "secondary" }, "Copy link");
  const copied = h("p", { class: "status-left", role: "status" });
  const result = h(
    "div",
    { class: "invite-result", hidden: true },
    h("div", { class: "field" }, linkLabel, h("div", { class: "inline" }, link, copy)),
    h("p", { class: "meta" }, "It works once. Send it to this person only; it is not shown again."),
  );

  const form = h(
    "form",
    { class: "invite-form", "aria-labelledby": "invite-heading", novalidate: true },
    h("div", { class: "inline" }, h("div", { class: "field" }, h("label", { for: name.id }, "Name"), name), h("div", { class: "field" }, h("label", { for: role.id }, "Role"), role), submit),
    error,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const who = name.value.trim();
    if (!who) {
      error.textContent = "Give the person’s name.";
      error.hidden = false;
      name.setAttribute("aria-invalid", "true");
      name.focus();
      return;
    }
    name.removeAttribute("aria-invalid");
    error.hidden = true;
    submit.disabled = true;
    try {
      const invite = await ctx.api.invite(who, role.value as InviteRole);
      link.value = absolute(invite.link);
      linkLabel.textContent = `Invite link for ${who}`;
      result.hidden = false;
      copied.textContent = `Invite link for ${who} is ready.`;
      name.value = "";
      link.focus();
      link.select();
      invited();
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.value);
      copied.textContent = "Copied.";
    } catch {
      link.focus();
      link.select();
      copied.textContent = "Copying is not allowed here: the link is selected, copy it with the keyboard.";
    }
  });

  return h("section", { class: "console-panel", "aria-labelledby": "invite-heading" }, h("h2", { id: "invite-heading" }, "Invite someone"), form, result, copied);
}

/** The server may give a path ("/join?code=…"): the person needs the whole address. */
function absolute(link: string): string {
  try {
    return new URL(link, location.href).href;
  } catch {
    return link;
  }
}
