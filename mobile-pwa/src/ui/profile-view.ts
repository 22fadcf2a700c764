// Profile: what I know (expertise), where I work (team, site, time zone), when and how often I
// may be asked (quiet hours, weekly budget), how peers can reach me, and notifications.
// Saving sends the whole profile (PUT /me/profile); a refusal is shown next to its field.

import "./network.css";
import { ApiError } from "../api/client";
import type { ScreenContext } from "../app/context";
import { fieldOfError, formFromProfile, MAX_BUDGET, profileFromForm, type FieldErrors, type ProfileField, type ProfileForm } from "../app/profile-form";
import { h } from "./dom";
import { messageFor } from "./messages";
import { notificationsPanel } from "./notifications-panel";

type Control = HTMLInputElement | HTMLTextAreaElement;

export function profileView(ctx: ScreenContext): HTMLElement {
  const input = (id: string, attrs: Record<string, string | number | boolean>) => h("input", { id: `profile-${id}`, "data-testid": `profile-${id}`, ...attrs });
  const expertise = h("textarea", { id: "profile-expertise", rows: 5, "data-testid": "profile-expertise" });
  const team = input("team", { type: "text", autocomplete: "organization-title" });
  const site = input("site", { type: "text" });
  const timezone = input("timezone", { type: "text", list: "profile-timezones", autocomplete: "off", autocapitalize: "none", spellcheck: false });
  const quietOn = input("quiet-on", { type: "checkbox" });
  const quietStart = input("quiet-start", { type: "time" });
  const quietEnd = input("quiet-end", { type: "time" });
  const budget = input("budget", { type: "number", min: 0, max: MAX_BUDGET, step: 1, inputmode: "numeric" });
  const email = input("email", { type: "email", autocomplete: "email" });
  const phone = input("phone", { type: "tel", autocomplete: "tel" });
  const save = h("button", { type: "submit", class: "primary", "data-testid": "profile-save" }, "Save profile");
  const formError = h("p", { class: "message error", role: "alert", "data-testid": "profile-error", hidden: true });
  const status = h("p", { class: "status-left", role: "status", "data-testid": "profile-status" });

  // Each field's error sits right under it and is tied to it for screen readers.
  const errors: Record<ProfileField, HTMLElement> = {} as Record<ProfileField, HTMLElement>;
  const focusOf: Record<ProfileField, Control> = { expertise, team, site, timezone, quiet_hours: quietStart, weekly_budget: budget, email, phone };
  for (const [field, control] of Object.entries(focusOf) as [ProfileField, Control][]) {
    const id = `profile-error-${field}`;
    errors[field] = h("p", { id, class: "field-error", "data-testid": `profile-error-${field}`, hidden: true });
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
  }
  const field = (label: string, control: HTMLElement, name: ProfileField, hint?: string) =>
    h("div", { class: "field" }, h("label", { for: control.id }, label), hint ? h("p", { class: "field-hint", id: `${control.id}-hint` }, hint) : null, control, errors[name]);
  expertise.setAttribute("aria-describedby", `profile-expertise-hint ${expertise.getAttribute("aria-describedby")}`);

  const quietFields = h(
    "div",
    { class: "pair" },
    h("div", { class: "field" }, h("label", { for: quietStart.id }, "From"), quietStart),
    h("div", { class: "field" }, h("label", { for: quietEnd.id }, "To"), quietEnd),
  );
  const form = h(
    "form",
    { class: "profile-form", novalidate: true, "aria-labelledby": "profile-heading" },
    field("What you know about", expertise, "expertise", "A few sentences: your skills, what you have solved before. coagent uses them to send you questions you can answer."),
    field("Team", team, "team"),
    field("Site", site, "site"),
    field("Time zone", timezone, "timezone"),
    h(
      "fieldset",
      { class: "quiet" },
      h("legend", {}, "Quiet hours"),
      h("div", { class: "check" }, quietOn, h("label", { for: quietOn.id }, "No requests during quiet hours")),
      quietFields,
      errors.quiet_hours,
    ),
    field("Requests per week, at most", budget, "weekly_budget", `From 0 (none for now) to ${MAX_BUDGET}.`),
    h(
      "fieldset",
      {},
      h("legend", {}, "How peers can reach you"),
      h("p", { class: "field-hint" }, "Shown to people you answered, so they can call or write to you directly."),
      field("Email", email, "email"),
      field("Phone", phone, "phone"),
    ),
    formError,
    h("div", { class: "actions" }, save),
    status,
  );
  budget.setAttribute("aria-describedby", `profile-budget-hint ${budget.getAttribute("aria-describedby")}`);
  const zones = h("datalist", { id: "profile-timezones" });
  const loading = h("p", { class: "message", role: "status" }, "Loading your profile…");

  const el = h(
    "section",
    { class: "profile-view", "aria-labelledby": "profile-heading" },
    h("h1", { id: "profile-heading" }, "Profile"),
    loading,
    form,
    zones,
    h("h2", {}, "Notifications"),
    notificationsPanel({ api: ctx.api, env: ctx.push }),
  );
  form.hidden = true;

  const setForm = (f: ProfileForm) => {
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
    syncQuiet();
  };
  const readForm = (): ProfileForm => ({
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
  function syncQuiet() {
    quietStart.disabled = quietEnd.disabled = !quietOn.checked;
  }
  quietOn.addEventListener("change", syncQuiet);

  function showErrors(found: FieldErrors) {
    let first: Control | null = null;
    for (const [name, box] of Object.entries(errors) as [ProfileField, HTMLElement][]) {
      const text = found[name];
      box.textContent = text ?? "";
      box.hidden = !text;
      const control = focusOf[name];
      if (text) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
      if (text && !first) first = control;
    }
    (first as Control | null)?.focus();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    formError.hidden = true;
    status.textContent = "";
    const result = profileFromForm(readForm());
    if (result.errors) {
      showErrors(result.errors);
      return;
    }
    showErrors({});
    save.disabled = true;
    save.textContent = "Saving…";
    try {
      setForm(formFromProfile(await ctx.api.saveProfile(result.profile)));
      status.textContent = "Saved.";
    } catch (err) {
      const name = err instanceof ApiError && err.status === 422 ? fieldOfError(err.message) : null;
      if (name) showErrors({ [name]: err instanceof ApiError ? err.message : "" });
      else {
        formError.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
        formError.hidden = false;
      }
    } finally {
      save.disabled = false;
      save.textContent = "Save profile";
    }
  });

  ctx.api.me().then(
    (me) => {
      setForm(formFromProfile(me.profile));
      loading.hidden = true;
      form.hidden = false;
      fillZones(zones);
    },
    (err: unknown) => {
      loading.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
      loading.classList.add("error");
    },
  );
  return el;
}

/** Suggestions for the time zone box, where the browser can list them. */
function fillZones(list: HTMLDataListElement) {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  if (!supported) return;
  try {
    list.replaceChildren(...supported("timeZone").map((z) => h("option", { value: z })));
  } catch {
    // no list: typing works the same
  }
}
