// A member's profile, edited by the concierge in a dialog: the same fields, checks and body as
// the member's own profile screen (app/profile-form.ts); the server's 422 is shown at the
// field it names, or at the top of the form.

import { ApiError, type Profile } from "../api/client";
import type { ConsoleMember } from "../api/console-types";
import { fieldOfError, formFromProfile, MAX_BUDGET, profileFromForm, type ProfileField } from "../app/profile-form";
import { h } from "../ui/dom";
import { profileControls, type Control } from "../ui/profile-controls";
import type { ConsoleContext } from "./context";
import { errorText } from "./words";

/** Opens the dialog inside `host` (the page: leaving the page removes it); `saved` runs with
 * the profile sent once the server took it. Focus goes back to `opener` when it closes. */
export function editProfile(ctx: ConsoleContext, member: ConsoleMember, host: HTMLElement, opener: HTMLElement, saved: (p: Profile) => void): HTMLDialogElement {
  const id = (name: string) => `mp-${name}`;
  const controls = profileControls({ idPrefix: "mp" });
  const { expertise, team, site, timezone, quietOn, quietStart, quietEnd, budget, email, phone, errors, showErrors } = controls;
  const field = (label: string, control: Control, name: ProfileField) => h("div", { class: "field" }, h("label", { for: control.id }, label), control, errors[name]);
  const formError = h("p", { class: "message error", role: "alert", hidden: true });
  const save = h("button", { type: "submit", class: "primary" }, "Save profile");
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");

  const form = h(
    "form",
    { class: "profile-form", novalidate: true },
    field("Expertise", expertise, "expertise"),
    h("div", { class: "pair" }, field("Team", team, "team"), field("Site", site, "site")),
    field("Time zone", timezone, "timezone"),
    h(
      "fieldset",
      {},
      h("legend", {}, "Quiet hours"),
      h("div", { class: "check" }, quietOn, h("label", { for: quietOn.id }, "No requests during quiet hours")),
      h("div", { class: "pair" }, h("div", { class: "field" }, h("label", { for: quietStart.id }, "From"), quietStart), h("div", { class: "field" }, h("label", { for: quietEnd.id }, "To"), quietEnd)),
      errors.quiet_hours,
    ),
    field(`Weekly budget (0 to ${MAX_BUDGET} requests)`, budget, "weekly_budget"),
    h("div", { class: "pair" }, field("Email", email, "email"), field("Phone", phone, "phone")),
    formError,
    h("div", { class: "actions" }, cancel, save),
  );
  const dialog = h("dialog", { class: "console-dialog", "aria-labelledby": id("heading") }, h("h2", { id: id("heading") }, `Profile of ${member.name}`), form);

  controls.set(formFromProfile(member.profile ?? undefined));

  const close = () => {
    if (typeof dialog.close === "function") dialog.close();
    dialog.remove();
    opener.focus();
  };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    formError.hidden = true;
    const result = profileFromForm(controls.read());
    if (result.errors) return showErrors(result.errors);
    showErrors({});
    save.disabled = true;
    try {
      await ctx.api.saveMemberProfile(member.id, result.profile);
      close();
      saved(result.profile);
    } catch (err) {
      const name = err instanceof ApiError && err.status === 422 ? fieldOfError(err.message) : null;
      if (name) showErrors({ [name]: (err as ApiError).message });
      else {
        formError.textContent = errorText(err);
        formError.hidden = false;
      }
    } finally {
      save.disabled = false;
    }
  });

  host.append(dialog);
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
  expertise.focus();
  return dialog;
}
