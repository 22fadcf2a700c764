// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { fieldOfError, formFromProfile, profileFromForm, type ProfileForm } from "../src/app/profile-form";
import type { Profile } from "../src/api/client";
import { profileView } from "../src/ui/profile-view";
import { byTestId, fakeBackend, fakeContext, until } from "./fake-backend";

const saved: Profile = {
  expertise: "Forklift fleets, battery rotation.",
  team: "Ops",
  site: "Lyon",
  timezone: "Europe/Paris",
  quiet_hours: { start: "20:00", end: "08:00" },
  weekly_budget: 3,
  contact: { email: "ana@example.com", phone: null },
};

describe("profile form ↔ API body", () => {
  it("round-trips a saved profile", () => {
    const form = formFromProfile(saved, "UTC");
    expect(form).toMatchObject({ timezone: "Europe/Paris", quietOn: true, quietStart: "20:00", weeklyBudget: "3", email: "ana@example.com", phone: "" });
    expect(profileFromForm(form)).toEqual({ profile: saved });
  });

  it("starts a new member with the device's time zone, quiet evenings and a budget of 2", () => {
    const form = formFromProfile(undefined, "America/Montreal");
    expect(form).toMatchObject({ timezone: "America/Montreal", quietOn: true, quietStart: "20:00", quietEnd: "08:00", weeklyBudget: "2" });
  });

  it("sends null quiet hours when they are off, and null for empty contact fields", () => {
    const form: ProfileForm = { ...formFromProfile(saved), quietOn: false, email: "  ", phone: "+33 6 12 34 56 78 ", team: " Ops " };
    const { profile } = profileFromForm(form);
    expect(profile).toMatchObject({ quiet_hours: null, team: "Ops", contact: { email: null, phone: "+33 6 12 34 56 78" } });
  });

  it("catches what the phone can check before sending", () => {
    const form = formFromProfile(saved);
    expect(profileFromForm({ ...form, weeklyBudget: "21" }).errors).toHaveProperty("weekly_budget");
    expect(profileFromForm({ ...form, weeklyBudget: "1.5" }).errors).toHaveProperty("weekly_budget");
    expect(profileFromForm({ ...form, weeklyBudget: "" }).errors).toHaveProperty("weekly_budget");
    expect(profileFromForm({ ...form, timezone: " " }).errors).toHaveProperty("timezone");
    expect(profileFromForm({ ...form, quietStart: "" }).errors).toHaveProperty("quiet_hours");
    expect(profileFromForm({ ...form, quietEnd: "20:00" }).errors).toHaveProperty("quiet_hours");
    expect(profileFromForm({ ...form, email: "ana" }).errors).toHaveProperty("email");
    expect(profileFromForm({ ...form, weeklyBudget: "0" }).profile?.weekly_budget).toBe(0);
  });

  it("finds the field a 422 message names", () => {
    expect(fieldOfError("unknown time zone: Mars/Olympus")).toBe("timezone");
    expect(fieldOfError("timezone is not a known IANA zone")).toBe("timezone");
    expect(fieldOfError("weekly_budget must be at most 20")).toBe("weekly_budget");
    expect(fieldOfError("quiet_hours.start is not HH:MM")).toBe("quiet_hours");
    expect(fieldOfError("contact.email is not an email address")).toBe("email");
    expect(fieldOfError("contact.phone is too long")).toBe("phone");
    expect(fieldOfError("expertise is too long (max 4000 characters)")).toBe("expertise");
    expect(fieldOfError("something else went wrong")).toBeNull();
  });
});

describe("profile screen", () => {
  it("loads the profile, saves it with PUT /me/profile, and says so", async () => {
    const b = fakeBackend({
      "GET /api/v1/me": { body: { id: "me", name: "Ana", profile: saved } },
      "PUT /api/v1/me/profile": (body) => ({ body }),
    });
    const el = profileView(fakeContext(b.api).ctx);
    document.body.replaceChildren(el);
    const expertise = byTestId<HTMLTextAreaElement>(el, "profile-expertise");
    await until(() => expertise.value !== "");
    expect(byTestId<HTMLInputElement>(el, "profile-timezone").value).toBe("Europe/Paris");
    expertise.value = "Night shifts and rotas.";
    byTestId<HTMLInputElement>(el, "profile-quiet-on").checked = false;
    byTestId(el, "profile-save").click();
    await until(() => byTestId(el, "profile-status").textContent === "Saved.");
    expect(b.called("PUT", "/api/v1/me/profile")[0]?.body).toEqual({ ...saved, expertise: "Night shifts and rotas.", quiet_hours: null });
  });

  it("shows the server's 422 next to the field it names", async () => {
    const b = fakeBackend({
      "GET /api/v1/me": { body: { id: "me", name: "Ana" } },
      "PUT /api/v1/me/profile": { status: 422, body: { error: { code: "invalid_profile", message: "unknown time zone: Mars/Olympus" } } },
    });
    const el = profileView(fakeContext(b.api).ctx);
    document.body.replaceChildren(el);
    const tz = byTestId<HTMLInputElement>(el, "profile-timezone");
    await until(() => tz.value !== "");
    tz.value = "Mars/Olympus";
    byTestId(el, "profile-save").click();
    const error = byTestId(el, "profile-error-timezone");
    await until(() => !error.hidden);
    expect(error.textContent).toBe("unknown time zone: Mars/Olympus");
    expect(tz.getAttribute("aria-invalid")).toBe("true");
    expect(tz.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(tz);
    expect(byTestId(el, "profile-error").hidden).toBe(true);
  });

  it("shows a 422 that names no field at the top of the form", async () => {
    const b = fakeBackend({
      "GET /api/v1/me": { body: { id: "me" } },
      "PUT /api/v1/me/profile": { status: 422, body: { error: { code: "invalid_profile", message: "profile rejected" } } },
    });
    const el = profileView(fakeContext(b.api).ctx);
    document.body.replaceChildren(el);
    await until(() => byTestId<HTMLInputElement>(el, "profile-budget").value === "2");
    byTestId(el, "profile-save").click();
    await until(() => !byTestId(el, "profile-error").hidden);
    expect(byTestId(el, "profile-error").textContent).toBe("profile rejected");
  });

  it("checks the budget on the phone before calling the server", async () => {
    const b = fakeBackend({ "GET /api/v1/me": { body: { id: "me" } } });
    const el = profileView(fakeContext(b.api).ctx);
    document.body.replaceChildren(el);
    const budget = byTestId<HTMLInputElement>(el, "profile-budget");
    await until(() => budget.value === "2");
    budget.value = "50";
    byTestId(el, "profile-save").click();
    expect(byTestId(el, "profile-error-weekly_budget").hidden).toBe(false);
    expect(b.called("PUT", "/api/v1/me/profile")).toHaveLength(0);
  });
});
