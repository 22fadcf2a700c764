// The profile form's values and the API's Profile, both ways, and which field an error is
// about. Pure: the screen (ui/profile-view.ts) only moves strings in and out of inputs.

import type { Profile } from "../api/client";

/** What the inputs hold: strings and one checkbox. */
export interface ProfileForm {
  expertise: string;
  team: string;
  site: string;
  timezone: string;
  quietOn: boolean;
  quietStart: string;
  quietEnd: string;
  weeklyBudget: string;
  email: string;
  phone: string;
}

export type ProfileField = "expertise" | "team" | "site" | "timezone" | "quiet_hours" | "weekly_budget" | "email" | "phone";

export type FieldErrors = Partial<Record<ProfileField, string>>;

export const DEFAULT_BUDGET = 2;
export const MAX_BUDGET = 20;
const DEFAULT_QUIET = { start: "20:00", end: "08:00" };

export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The form for a saved profile, or the defaults when there is none yet (the device's time
 * zone, quiet evenings, two requests a week). */
export function formFromProfile(p: Partial<Profile> | undefined, timezone = deviceTimeZone()): ProfileForm {
  const quiet = p?.quiet_hours;
  return {
    expertise: p?.expertise ?? "",
    team: p?.team ?? "",
    site: p?.site ?? "",
    timezone: p?.timezone || timezone,
    // A member who never saved a profile starts with quiet evenings on.
    quietOn: p ? Boolean(quiet) : true,
    quietStart: quiet?.start ?? DEFAULT_QUIET.start,
    quietEnd: quiet?.end ?? DEFAULT_QUIET.end,
    weeklyBudget: String(typeof p?.weekly_budget === "number" ? p.weekly_budget : DEFAULT_BUDGET),
    email: p?.contact?.email ?? "",
    phone: p?.contact?.phone ?? "",
  };
}

/** The body of PUT /me/profile, or what to fix first. Checks only what the phone can know; the
 * server has the last word (a 422 comes back through fieldOfError). */
export function profileFromForm(f: ProfileForm): { profile: Profile; errors?: undefined } | { profile?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const budget = Number(f.weeklyBudget.trim());
  if (f.weeklyBudget.trim() === "" || !Number.isInteger(budget) || budget < 0 || budget > MAX_BUDGET) {
    errors.weekly_budget = `Choose a whole number from 0 to ${MAX_BUDGET}.`;
  }
  const timezone = f.timezone.trim();
  if (!timezone) errors.timezone = "Choose your time zone, for example Europe/Paris.";
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (f.quietOn) {
    if (!time.test(f.quietStart) || !time.test(f.quietEnd)) errors.quiet_hours = "Give a start and an end time, or turn quiet hours off.";
    else if (f.quietStart === f.quietEnd) errors.quiet_hours = "Start and end are the same time; turn quiet hours off instead.";
  }
  const email = f.email.trim();
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = "This does not look like an email address.";
  const phone = f.phone.trim();
  if (phone && !/^\+?[\d\s().-]{4,}$/.test(phone)) errors.phone = "Use digits, with the country code if you can (+33 …).";
  if (Object.keys(errors).length) return { errors };
  return {
    profile: {
      expertise: f.expertise.trim(),
      team: f.team.trim(),
      site: f.site.trim(),
      timezone,
      quiet_hours: f.quietOn ? { start: f.quietStart, end: f.quietEnd } : null,
      weekly_budget: budget,
      contact: { email: email || null, phone: phone || null },
    },
  };
}

/** The contract's 422 `invalid_profile` names the bad field in its message ("unknown time
 * zone", "weekly_budget must be at most 20"): find which input to show it next to. Null when
 * the message names none; the form shows it at the top then. */
export function fieldOfError(message: string): ProfileField | null {
  const text = message.toLowerCase().replace(/[_.]/g, " ");
  const rules: [RegExp, ProfileField][] = [
    [/time ?zone/, "timezone"],
    [/quiet|\bstart\b|\bend\b/, "quiet_hours"],
    [/budget/, "weekly_budget"],
    [/e-?mail/, "email"],
    [/phone/, "phone"],
    [/expertise/, "expertise"],
    [/\bteam\b/, "team"],
    [/\bsite\b/, "site"],
  ];
  return rules.find(([re]) => re.test(text))?.[1] ?? null;
}
