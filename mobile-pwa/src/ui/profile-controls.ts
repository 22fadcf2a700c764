// A profile's inputs, each with its error line, shared by a member's own profile screen and the
// concierge's profile dialog; each screen lays them out and labels them its own way.

import { MAX_BUDGET, type FieldErrors, type ProfileField, type ProfileForm } from "../app/profile-form";
import { h } from "./dom";

export type Control = HTMLInputElement | HTMLTextAreaElement;

type Attrs = Record<string, string | number | boolean>;

export interface ProfileControls {
  expertise: HTMLTextAreaElement;
  team: HTMLInputElement;
  site: HTMLInputElement;
  timezone: HTMLInputElement;
  quietOn: HTMLInputElement;
  quietStart: HTMLInputElement;
  quietEnd: HTMLInputElement;
  budget: HTMLInputElement;
  email: HTMLInputElement;
  phone: HTMLInputElement;
  /** Each field's error line, tied to its control for screen readers. */
  errors: Record<ProfileField, HTMLElement>;
  set(form: ProfileForm): void;
  read(): ProfileForm;
  /** Shows each error under its field, marks those controls invalid and focuses the first. */
  showErrors(found: FieldErrors): void;
}

export interface ControlOptions {
  /** Ids are `${idPrefix}-team`, error lines `${idPrefix}-error-team`. */
  idPrefix: string;
  /** Also name each control and error line by its id as `data-testid`. */
  testIds?: boolean;
  expertiseRows?: number;
  /** Attributes one screen adds to a control (autocomplete hints for the member's own data). */
  extra?: Partial<Record<"team" | "timezone" | "budget" | "email" | "phone", Attrs>>;
}

export function profileControls(options: ControlOptions): ProfileControls {
  const id = (name: string) => `${options.idPrefix}-${name}`;
  const named = (name: string): Attrs => (options.testIds ? { id: id(name), "data-testid": id(name) } : { id: id(name) });
  const input = (name: string, attrs: Attrs) => h("input", { ...named(name), ...attrs });
  const extra = options.extra ?? {};
  const expertise = h("textarea", { ...named("expertise"), rows: options.expertiseRows ?? 4 });
  const team = input("team", { type: "text", ...extra.team });
  const site = input("site", { type: "text" });
  const timezone = input("timezone", { type: "text", autocomplete: "off", spellcheck: false, ...extra.timezone });
  const quietOn = input("quiet-on", { type: "checkbox" });
  const quietStart = input("quiet-start", { type: "time" });
  const quietEnd = input("quiet-end", { type: "time" });
  const budget = input("budget", { type: "number", min: 0, max: MAX_BUDGET, step: 1, ...extra.budget });
  const email = input("email", { type: "email", ...extra.email });
  const phone = input("phone", { type: "tel", ...extra.phone });

  const controlOf: Record<ProfileField, Control> = { expertise, team, site, timezone, quiet_hours: quietStart, weekly_budget: budget, email, phone };
  const errors = {} as Record<ProfileField, HTMLElement>;
  for (const [field, control] of Object.entries(controlOf) as [ProfileField, Control][]) {
    errors[field] = h("p", { ...named(`error-${field}`), class: "field-error", hidden: true });
    control.setAttribute("aria-describedby", id(`error-${field}`));
  }

  const syncQuiet = () => (quietStart.disabled = quietEnd.disabled = !quietOn.checked);
  quietOn.addEventListener("change", syncQuiet);

  return {
    expertise, team, site, timezone, quietOn, quietStart, quietEnd, budget, email, phone, errors,
    set(f) {
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
    },
    read: () => ({
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
    }),
    showErrors(found) {
      let first: Control | null = null;
      for (const [field, box] of Object.entries(errors) as [ProfileField, HTMLElement][]) {
        const text = found[field];
        box.textContent = text ?? "";
        box.hidden = !text;
        const control = controlOf[field];
        if (text) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
        first ??= text ? control : null;
      }
      (first as Control | null)?.focus();
    },
  };
}
