// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { hrefFor, parseRoute } from "../src/app/routes";
import { consoleGate } from "../src/app/console-gate";
import { consoleNav } from "../src/console/console-app";
import { consoleHref, parseConsole } from "../src/console/routes";
import { consoleLink } from "../src/ui/console-link";
import { sectionOf } from "../src/ui/nav";
import { fakeBackend, until } from "./fake-backend";

const member = { id: "m1", name: "Ana", role: "manager" };
const concierge = { id: "c1", name: "Sam", role: "concierge" };

function gate(role: typeof member) {
  const b = fakeBackend({ "GET /api/v1/me": { body: role } });
  const screen = document.createElement("div");
  screen.textContent = "the console";
  const load = vi.fn(async () => ({ consoleScreen: vi.fn(async () => screen) }));
  const deps = { api: b.api, whoami: () => b.api.me(), me: () => role, go: () => {}, onLeave: () => {}, load };
  return { ...b, deps, load, screen };
}

describe("the console's gate", () => {
  it("tells a member calmly that the page is for the concierge, without loading the console", async () => {
    const { deps, load, called } = gate(member);
    const el = await consoleGate(deps, "members", "");
    expect(el.querySelector("h1")?.textContent).toBe("This page is for the concierge");
    expect(el.querySelector("a[href='#/']")).not.toBeNull();
    expect(load).not.toHaveBeenCalled();
    expect(called("GET", "/api/v1/me")).toHaveLength(1);
  });

  it("opens the console for a concierge, with the page it was asked for", async () => {
    const { deps, load, screen } = gate(concierge);
    const el = await consoleGate(deps, "asks/a1", "");
    expect(el).toBe(screen);
    const loaded = await (load.mock.results[0]?.value as Promise<{ consoleScreen: ReturnType<typeof vi.fn> }>);
    expect(loaded.consoleScreen).toHaveBeenCalledWith(expect.objectContaining({ api: expect.any(Object) }), "asks/a1", "");
  });

  it("passes on a failed GET /me (the shell says the screen could not load)", async () => {
    const b = fakeBackend({});
    const load = vi.fn();
    await expect(consoleGate({ api: b.api, whoami: () => b.api.me(), me: () => null, go: () => {}, onLeave: () => {}, load }, "", "")).rejects.toThrow();
    expect(load).not.toHaveBeenCalled();
  });

  it("shows the console link in the header to a concierge only", async () => {
    const forConcierge = consoleLink(async () => concierge, () => null);
    const forMember = consoleLink(async () => member, () => null);
    await until(() => !forConcierge.hidden, "link shown");
    expect(forConcierge.getAttribute("href")).toBe("#/console");
    expect(forConcierge.textContent).toBe("Concierge console");
    await new Promise((r) => setTimeout(r, 0));
    expect(forMember.hidden).toBe(true);
    // Offline: the role stored when the member joined.
    const offline = consoleLink(() => Promise.reject(new Error("offline")), () => concierge);
    await until(() => !offline.hidden, "offline link");
    const offlineMember = consoleLink(() => Promise.reject(new Error("offline")), () => member);
    await new Promise((r) => setTimeout(r, 0));
    expect(offlineMember.hidden).toBe(true);
  });
});

describe("console addresses", () => {
  it("maps #/console/… to the console and back, query included", () => {
    expect(parseRoute("#/console")).toEqual({ name: "console", path: "", query: "" });
    expect(parseRoute("#/console/asks/a%2F1")).toEqual({ name: "console", path: "asks/a%2F1", query: "" });
    expect(parseRoute("#/console?state=routed&q=a?b")).toEqual({ name: "console", path: "", query: "state=routed&q=a?b" });
    expect(hrefFor({ name: "console", path: "members", query: "" })).toBe("#/console/members");
    expect(sectionOf(parseRoute("#/console/health"))).toBeNull();
    // Other screens ignore a query.
    expect(parseRoute("#/inbox?x=1")).toEqual({ name: "inbox" });
  });

  it("knows the console's pages", () => {
    expect(parseConsole("", "state=waiting&q=forklift")).toEqual({ name: "queue", state: "waiting", q: "forklift", similar: "" });
    expect(parseConsole("", "state=bogus")).toMatchObject({ state: "" });
    expect(parseConsole("asks/a%2F1")).toEqual({ name: "ask", id: "a/1" });
    for (const name of ["members", "health", "audit"] as const) expect(parseConsole(name)).toEqual({ name });
    expect(consoleHref({ name: "queue", state: "routed", q: "x y", similar: "" })).toBe("#/console?state=routed&q=x+y");
    expect(consoleHref({ name: "queue", state: "", q: "", similar: "battery" })).toBe("#/console?similar=battery");
    expect(consoleHref({ name: "ask", id: "a/1" })).toBe("#/console/asks/a%2F1");
    const back = parseRoute(consoleHref({ name: "queue", state: "closed", q: "x", similar: "" }));
    expect(back.name === "console" && parseConsole(back.path, back.query)).toEqual({ name: "queue", state: "closed", q: "x", similar: "" });
  });

  it("has a nav with Queue, Members, Health and Audit log, the current one marked", () => {
    const nav = consoleNav("health");
    expect(nav.getAttribute("aria-label")).toBe("Console");
    const links = [...nav.querySelectorAll("ul a")];
    expect(links.map((a) => a.textContent)).toEqual(["Queue", "Members", "Health", "Audit log"]);
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["#/console", "#/console/members", "#/console/health", "#/console/audit"]);
    expect(nav.querySelector("[aria-current=page]")?.textContent).toBe("Health");
  });
});
