// Profile: what I know (expertise), where I work (team, site, time zone), when and how often I
// may be asked (quiet hours, weekly budget), how peers can reach me, and notifications.
// Saving sends the whole profile (PUT /me/profile); a refusal is shown next to its field.

import "./network.css";
import { ApiError } from "../api/client";
import type { ScreenContext } from "../app/context";
import { fieldOfError, formFromProfile, MAX_BUDGET, profileFromForm, type ProfileField } from "../app/profile-form";
import { h } from "./dom";
import { messageFor } from "./messages";
import { notificationsPanel } from "./notifications-panel";
import { profileControls } from "./profile-controls";

export function profileView(ctx: ScreenContext): HTMLElement {
  const controls = profileControls({
    idPrefix: "profile",
    testIds: true,
    expertiseRows: 5,
    extra: {
      team: { autocomplete: "organization-title" },
      timezone: { list: "profile-timezones", autocapitalize: "none" },
      budget: { inputmode: "numeric" },
      email: { autocomplete: "email" },
      phone: { autocomplete: "tel" },
    },
  });
  const { expertise, team, site, timezone, quietOn, quietStart, quietEnd, budget, email, phone, errors } = controls;
  const save = h("button", { type: "submit", class: "primary", "data-testid": "profile-save" }, "Save profile");
  const formError = h("p", { class: "message error", role: "alert", "data-testid": "profile-error", hidden: true });
  const status = h("p", { class: "status-left", role: "status", "data-testid": "profile-status" });

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

  const { set: setForm, read: readForm, showErrors } = controls;

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
