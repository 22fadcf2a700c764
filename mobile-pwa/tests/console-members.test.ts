// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import type { ConsoleMember } from "../src/api/console-types";
import { membersView } from "../src/console/members-view";
import { button, consoleBackend, labelled } from "./console-fakes";
import { until, type Reply } from "./fake-backend";

const profile = { expertise: "Forklift fleets", team: "Ops", site: "Lyon", timezone: "Europe/Paris", quiet_hours: { start: "20:00", end: "08:00" }, weekly_budget: 2, contact: { email: "ana@example.com", phone: null } };
const members: ConsoleMember[] = [
  { id: "ana", name: "Ana Silva", role: "manager", active: true, created_at: "2026-01-01T00:00:00Z", profile, load: { open_requests: 1, asked_this_week: 2, weekly_budget: 2, answered: 7, passed: 1 } },
  { id: "sam", name: "Sam Concierge", role: "concierge", active: false, created_at: "2026-01-01T00:00:00Z", profile: null, load: null },
];

function setup(routes: Record<string, Reply> = {}) {
  const b = consoleBackend({ "GET /api/v1/console/members": { body: { members } }, ...routes });
  const el = membersView(b.ctx);
  document.body.replaceChildren(el);
  const rows = () => [...el.querySelectorAll<HTMLTableRowElement>("tbody tr")];
  // The members' panel (the invite form has its own status and alert).
  const panel = () => el.querySelector("[aria-labelledby=members-heading]") as HTMLElement;
  return { ...b, el, rows, panel };
}

describe("members", () => {
  it("lists members with role, state, team / site and load", async () => {
    const { el, rows } = setup();
    await until(() => rows().length === 2, "rows");
    expect(el.querySelector("h1")?.textContent).toBe("Members");
    expect([...(rows()[0]?.cells ?? [])].slice(0, 8).map((c) => c.textContent)).toEqual(["Ana Silva", "Manager", "Active", "Ops / Lyon", "1", "2 / 2", "7", "1"]);
    expect([...(rows()[1]?.cells ?? [])].slice(0, 4).map((c) => c.textContent)).toEqual(["Sam Concierge", "Concierge", "Deactivated", "—"]);
    button(el, "Deactivate Ana Silva");
    button(el, "Reactivate Sam Concierge");
    button(el, "Edit profile of Ana Silva");
  });

  it("invites someone: POST /invites with name and role, then the single-use link to copy", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    const { el, called, rows } = setup({ "POST /api/v1/console/invites": { status: 201, body: { code: "k3y", link: "https://coagent.example/join?code=k3y" } } });
    await until(() => rows().length === 2);
    button(el, "Create invite link").click();
    expect(el.querySelector(".invite-form [role=alert]")?.textContent).toBe("Give the person’s name.");
    labelled(el, "Name").value = " Chen Li ";
    labelled<HTMLSelectElement>(el, "Role").value = "concierge";
    button(el, "Create invite link").click();
    await until(() => called("POST", "/api/v1/console/invites").length === 1, "invite");
    expect(called("POST", "/api/v1/console/invites")[0]?.body).toEqual({ name: "Chen Li", role: "concierge" });
    await until(() => !(el.querySelector(".invite-result") as HTMLElement).hidden, "link shown");
    const link = labelled(el, "Invite link for Chen Li");
    expect(link.value).toBe("https://coagent.example/join?code=k3y");
    expect(link.readOnly).toBe(true);
    button(el, "Copy link").click();
    await until(() => writeText.mock.calls.length === 1);
    expect(writeText).toHaveBeenCalledWith("https://coagent.example/join?code=k3y");
    await until(() => el.textContent?.includes("Copied.") === true);
    // The list is loaded again (the new member may be there once they join).
    expect(called("GET", "/api/v1/console/members").length).toBe(2);
  });

  it("deactivates and reactivates a member", async () => {
    const { el, called, rows, panel } = setup({
      "POST /api/v1/console/members/ana/deactivate": { body: { ...members[0], active: false } },
      "POST /api/v1/console/members/sam/reactivate": { body: { ...members[1], active: true } },
    });
    await until(() => rows().length === 2);
    button(el, "Deactivate Ana Silva").click();
    await until(() => called("POST", "/api/v1/console/members/ana/deactivate").length === 1);
    await until(() => rows()[0]?.cells[2]?.textContent === "Deactivated", "deactivated");
    expect(document.activeElement).toBe(button(el, "Reactivate Ana Silva"));
    expect(panel().querySelector("[role=status]")?.textContent).toMatch(/Ana Silva is deactivated/);
    button(el, "Reactivate Sam Concierge").click();
    await until(() => rows()[1]?.cells[2]?.textContent === "Active", "reactivated");
    expect(called("POST", "/api/v1/console/members/sam/reactivate")).toHaveLength(1);
  });

  it("shows the server's refusal to deactivate oneself (409)", async () => {
    const { el, rows, panel } = setup({ "POST /api/v1/console/members/ana/deactivate": { status: 409, body: { error: { code: "conflict", message: "A concierge cannot deactivate themself." } } } });
    await until(() => rows().length === 2);
    button(el, "Deactivate Ana Silva").click();
    await until(() => panel().querySelector("[role=alert]")?.textContent === "A concierge cannot deactivate themself.");
    expect(rows()[0]?.cells[2]?.textContent).toBe("Active");
  });

  it("edits a profile in a dialog: PUT /members/{id}/profile, and a 422 at its field", async () => {
    let refuse = true;
    const { el, called, rows, panel } = setup({
      "PUT /api/v1/console/members/ana/profile": () => (refuse ? { status: 422, body: { error: { code: "invalid_profile", message: "unknown time zone: Mars/Olympus" } } } : { body: {} }),
    });
    await until(() => rows().length === 2);
    const edit = button(el, "Edit profile of Ana Silva");
    edit.click();
    const dialog = document.querySelector("dialog") as HTMLDialogElement;
    expect(dialog.querySelector("h2")?.textContent).toBe("Profile of Ana Silva");
    expect(labelled(dialog, "Team").value).toBe("Ops");
    labelled(dialog, "Time zone").value = "Mars/Olympus";
    labelled(dialog, "Weekly budget (0 to 20 requests)").value = "3";
    button(dialog, "Save profile").click();
    await until(() => called("PUT", "/api/v1/console/members/ana/profile").length === 1, "PUT");
    expect(called("PUT", "/api/v1/console/members/ana/profile")[0]?.body).toEqual({ ...profile, timezone: "Mars/Olympus", weekly_budget: 3 });
    await until(() => !(dialog.querySelector("#mp-error-timezone") as HTMLElement).hidden, "field error");
    expect(dialog.querySelector("#mp-error-timezone")?.textContent).toBe("unknown time zone: Mars/Olympus");
    expect(labelled(dialog, "Time zone").getAttribute("aria-invalid")).toBe("true");

    refuse = false;
    labelled(dialog, "Time zone").value = "Europe/Lisbon";
    button(dialog, "Save profile").click();
    await until(() => !document.querySelector("dialog"), "dialog closed");
    await until(() => rows()[0]?.cells[3]?.textContent === "Ops / Lyon");
    expect(panel().querySelector("[role=status]")?.textContent).toBe("Ana Silva’s profile is saved.");
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Edit profile of Ana Silva");
  });

  it("checks the profile before sending, like the member's own screen", async () => {
    const { el, called, rows } = setup();
    await until(() => rows().length === 2);
    button(el, "Edit profile of Sam Concierge").click();
    const dialog = document.querySelector("dialog") as HTMLDialogElement;
    labelled(dialog, "Weekly budget (0 to 20 requests)").value = "50";
    button(dialog, "Save profile").click();
    expect(dialog.querySelector<HTMLElement>("#mp-error-weekly_budget")?.hidden).toBe(false);
    expect(called("PUT", "/api/v1/console/members/sam/profile")).toHaveLength(0);
    button(dialog, "Cancel").click();
    expect(document.querySelector("dialog")).toBeNull();
  });
});
