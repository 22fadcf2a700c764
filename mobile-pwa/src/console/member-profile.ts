// A member's profile, edited by the concierge in a dialog: the same fields, checks and body as
// the member's own profile screen (app/profile-form.ts); the server's 422 is shown at the
// field it names, or at the top of the form.

import { ApiError, type Profile } from "../api/client";
import type { ConsoleMember } from "../api/console-types";
import { fieldOfError, formFromProfile, MAX_BUDGET, profileFromForm, type FieldErrors, type ProfileField, type ProfileForm } from "../app/profile-form";
import { h } from "../ui/dom";
import type { ConsoleContext } from "./context";
import { errorText } from "./words";

type Control = HTMLInputElement | HTMLTextAreaElement;

/** Opens the dialog inside `host` (the page: leaving the page removes it); `saved` runs with
 * the profile sent once the server took it. Focus goes back to `opener` when it closes. */
export function editProfile(ctx: ConsoleContext, member: ConsoleMember, host: HTMLElement, opener: HTMLElement, saved: (p: Profile) => void): HTMLDialogElement {
  const id = (name: string) => `mp-${name}`;
  const input = (name: string, attrs: Record<string, string | number | boolean>) => h("input", { id: id(name), ...attrs });
  const expertise = h("textarea", { id: id("expertise"), rows: 4 });
  const team = input("team", { type: "text" });
  const site = input("site", { type: "text" });
  const timezone = input("timezone", { type: "text", autocomplete: "off", spellcheck: false });
  const quietOn = input("quiet-on", { type: "checkbox" });
  const quietStart = input("quiet-start", { type: "time" });
  const quietEnd = input("quiet-end", { type: "time" });
  const budget = input("budget", { type: "number", min: 0, max: MAX_BUDGET, step: 1 });
  const email = input("email", { type: "email" });
  const phone = input("phone", { type: "tel" });
  const controls: Record<ProfileField, Control> = { expertise, team, site, timezone, quiet_hours: quietStart, weekly_budget: budget, email, phone };
  const errors = {} as Record<ProfileField, HTMLElement>;
  for (const [name, control] of Object.entries(controls) as [ProfileField, Control][]) {
    errors[name] = h("p", { id: id(`error-${name}`), class: "field-error", hidden: true });
    control.setAttribute("aria-describedby", id(`error-${name}`));
  }
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

  const f = formFromProfile(member.profile ?? undefined);
  expertise.value = f.expertise;
  team.value = f.team;
  site.value = f.site;
  timezone.value = f.timezone;
  quietOn.checked = f.quietOn;
  quietStart.value = f.quietStart;
  quietEnd.value = f.quietEnd;
  budget.value = f.weeklyBudget;
  email.value = f.email;
  phone.value = f.phone;
  const syncQuiet = () => (quietStart.disabled = quietEnd.disabled = !quietOn.checked);
  quietOn.addEventListener("change", syncQuiet);
  syncQuiet();

  const read = (): ProfileForm => ({
    expertise: expertise.value,
    team: team.value,
    site: site.value,
    timezone: timezone.value,
    quietOn: quietOn.checked,
    quietStart: quietStart.value,
    quietEnd: quietEnd.value,
    weeklyBudget: budget.value,
    email: email.value,
    phone: phone.value,
  });

  function showErrors(found: FieldErrors) {
    let first: Control | null = null;
    for (const [name, box] of Object.entries(errors) as [ProfileField, HTMLElement][]) {
      const text = found[name];
      box.textContent = text ?? "";
      box.hidden = !text;
      if (text) controls[name].setAttribute("aria-invalid", "true");
      else controls[name].removeAttribute("aria-invalid");
      first ??= text ? controls[name] : null;
    }
    (first as Control | null)?.focus();
  }

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
    const result = profileFromForm(read());
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
