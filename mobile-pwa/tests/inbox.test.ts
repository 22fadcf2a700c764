// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { EMPTY_INBOX, inboxItem, inboxView } from "../src/ui/inbox-view";
import { bottomNav } from "../src/ui/nav";
import { allByTestId, byTestId, fakeBackend, fakeContext, until } from "./fake-backend";

const NOW = Date.parse("2025-03-10T12:00:00Z");
const requests = [
  { ask_id: "a3", title: "Night shift rota", asker: { id: "u1", name: "Claire Martin" }, asked_at: "2025-03-10T11:55:00Z", state: "open" },
  { ask_id: "a2", title: "Forklift battery", asker: { id: "u2", name: "Ben" }, asked_at: "2025-03-10T09:00:00Z", state: "answered" },
  { ask_id: "a1", title: "Supplier audit", asker: { id: "u3", name: "Chen" }, asked_at: "2025-03-07T12:00:00Z", state: "passed" },
  { ask_id: "a0", title: "", asker: { id: "u4", name: "Dee" }, asked_at: "2025-03-01T12:00:00Z", state: "referred" },
];

describe("inbox", () => {
  it("lists each request with title, asker, age and state, linking to the request", async () => {
    const b = fakeBackend({ "GET /api/v1/inbox": { body: { requests } } });
    const { ctx, counts } = fakeContext(b.api);
    const el = inboxView(ctx);
    const list = byTestId(el, "inbox-list");
    await until(() => list.getAttribute("aria-busy") === "false");
    const items = allByTestId(el, "inbox-item");
    expect(items.map((i) => i.dataset.askId)).toEqual(["a3", "a2", "a1", "a0"]);
    expect(items.map((i) => i.dataset.state)).toEqual(["open", "answered", "passed", "referred"]);
    expect(items.map((i) => byTestId(i, "inbox-state").textContent)).toEqual(["Waiting for you", "Answered", "Passed", "Referred"]);
    expect(items[0]?.querySelector("a")?.getAttribute("href")).toBe("#/requests/a3");
    expect(items[0]?.textContent).toContain("Night shift rota");
    expect(items[0]?.textContent).toContain("From Claire Martin");
    expect(items[3]?.textContent).toContain("Untitled request");
    expect(byTestId(el, "inbox-message").hidden).toBe(true);
    // The nav badge counts the requests still waiting.
    expect(counts).toEqual([1]);
  });

  it("shows how long ago each request came", () => {
    const item = inboxItem(requests[0] as (typeof requests)[0], NOW);
    expect(item.querySelector("time")?.textContent).toBe("5 min ago");
    expect(item.querySelector("time")?.getAttribute("datetime")).toBe("2025-03-10T11:55:00Z");
    expect(inboxItem(requests[2] as (typeof requests)[0], NOW).querySelector("time")?.textContent).toBe("3 days ago");
  });

  it("says so plainly when there is nothing yet", async () => {
    const b = fakeBackend({ "GET /api/v1/inbox": { body: { requests: [] } } });
    const { ctx, counts } = fakeContext(b.api);
    const el = inboxView(ctx);
    await until(() => byTestId(el, "inbox-list").getAttribute("aria-busy") === "false");
    expect(allByTestId(el, "inbox-item")).toHaveLength(0);
    expect(byTestId(el, "inbox-message").textContent).toBe(EMPTY_INBOX);
    expect(counts).toEqual([0]);
  });

  it("shows a failure as a message and keeps the Refresh button", async () => {
    const b = fakeBackend({});
    const el = inboxView(fakeContext(b.api).ctx);
    await until(() => byTestId(el, "inbox-message").classList.contains("error"));
    b.fetch.mockClear();
    byTestId(el, "inbox-refresh").click();
    await until(() => b.fetch.mock.calls.length === 1);
  });

  it("carries the notifications prompt where notifications are possible", async () => {
    const b = fakeBackend({ "GET /api/v1/inbox": { body: { requests: [] } } });
    const push = { notification: { permission: "default" as NotificationPermission, requestPermission: async () => "default" as NotificationPermission }, registration: async () => ({ pushManager: { getSubscription: async () => null, subscribe: async () => Promise.reject(new Error("x")) } }) };
    const el = inboxView(fakeContext(b.api, { push }).ctx);
    expect(byTestId(el, "notifications").hidden).toBe(false);
    expect(byTestId(el, "notifications-button").hidden).toBe(false);
  });
});

describe("bottom nav", () => {
  it("marks the current section and shows the inbox count to eyes and screen readers", () => {
    const nav = bottomNav();
    nav.setCurrent({ name: "request", id: "a1" });
    expect(byTestId(nav.el, "nav-inbox").getAttribute("aria-current")).toBe("page");
    expect(byTestId(nav.el, "nav-talk").hasAttribute("aria-current")).toBe(false);
    const count = byTestId(nav.el, "inbox-count");
    expect(count.hidden).toBe(true);
    nav.setInboxCount(2);
    expect(count.hidden).toBe(false);
    expect(count.textContent).toBe("2");
    expect(byTestId(nav.el, "nav-inbox").textContent).toContain("2 waiting for you");
    nav.setInboxCount(0);
    expect(count.hidden).toBe(true);
  });
});
