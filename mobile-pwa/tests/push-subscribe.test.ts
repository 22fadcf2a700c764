// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { PushEnv, SubscriptionLike } from "../src/push/env";
import { disablePush, enablePush, syncPush } from "../src/push/subscribe";
import { notificationsPanel, PUSH_TEXT } from "../src/ui/notifications-panel";
import { byTestId, fakeBackend, until } from "./fake-backend";

const KEY = Buffer.from(Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : i))).toString("base64url");
const OTHER_KEY = Buffer.from(Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : 255 - i))).toString("base64url");

function subscription(endpoint: string, key: string | null): SubscriptionLike & { unsubscribed: boolean } {
  return {
    endpoint,
    unsubscribed: false,
    options: { applicationServerKey: key === null ? null : new Uint8Array(Buffer.from(key, "base64url")).buffer },
    toJSON: () => ({ endpoint, keys: { p256dh: "p", auth: "a" } }),
    async unsubscribe() {
      this.unsubscribed = true;
      return true;
    },
  };
}

/** A browser whose permission prompt answers `answer`, with `existing` as its subscription. */
function browser(permission: NotificationPermission, answer: NotificationPermission, existing: ReturnType<typeof subscription> | null = null) {
  const state = { permission, existing, subscribedWith: [] as Uint8Array[], asked: 0 };
  const env: PushEnv = {
    notification: {
      get permission() {
        return state.permission;
      },
      requestPermission: async () => {
        state.asked++;
        state.permission = answer;
        return answer;
      },
    },
    registration: async () => ({
      pushManager: {
        getSubscription: async () => state.existing,
        subscribe: async (opts) => {
          state.subscribedWith.push(opts.applicationServerKey);
          expect(opts.userVisibleOnly).toBe(true);
          state.existing = subscription("https://push.example/new", Buffer.from(opts.applicationServerKey).toString("base64url"));
          return state.existing;
        },
      },
    }),
  };
  return { env, state };
}

const backend = () =>
  fakeBackend({
    "GET /api/v1/push/vapid-public-key": { body: { public_key: KEY } },
    "POST /api/v1/push/subscriptions": { status: 201, body: { id: "s1" } },
    "DELETE /api/v1/push/subscriptions": { status: 204 },
  });

describe("push subscription", () => {
  it("after permission, subscribes with the server's key and posts the subscription", async () => {
    const { api, called } = backend();
    const { env, state } = browser("default", "granted");
    await expect(enablePush(api, env)).resolves.toBe("granted");
    expect(state.asked).toBe(1);
    expect(state.subscribedWith).toHaveLength(1);
    expect(Buffer.from(state.subscribedWith[0] as Uint8Array).toString("base64url")).toBe(KEY);
    expect(called("POST", "/api/v1/push/subscriptions")[0]?.body).toEqual({ endpoint: "https://push.example/new", keys: { p256dh: "p", auth: "a" } });
  });

  it("when permission is denied, subscribes to nothing and says so", async () => {
    const { api, calls } = backend();
    const { env, state } = browser("default", "denied");
    await expect(enablePush(api, env)).resolves.toBe("denied");
    expect(state.subscribedWith).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it("where the Push API is missing, reports unsupported without asking", async () => {
    const { api, calls } = backend();
    await expect(enablePush(api, {})).resolves.toBe("unsupported");
    await syncPush(api, {});
    expect(calls).toHaveLength(0);
  });

  it("re-syncs an existing subscription at app open without making a new one", async () => {
    const { api, called } = backend();
    const { env, state } = browser("granted", "granted", subscription("https://push.example/old", KEY));
    await syncPush(api, env);
    expect(state.subscribedWith).toHaveLength(0);
    expect(called("POST", "/api/v1/push/subscriptions")[0]?.body).toMatchObject({ endpoint: "https://push.example/old" });
  });

  it("resubscribes when the server's key changed", async () => {
    const { api, called } = backend();
    const old = subscription("https://push.example/old", OTHER_KEY);
    const { env, state } = browser("granted", "granted", old);
    await syncPush(api, env);
    expect(old.unsubscribed).toBe(true);
    expect(state.subscribedWith).toHaveLength(1);
    expect(called("POST", "/api/v1/push/subscriptions")[0]?.body).toMatchObject({ endpoint: "https://push.example/new" });
  });

  it("does nothing at app open unless permission was granted", async () => {
    const { api, calls } = backend();
    await syncPush(api, browser("default", "default").env);
    await syncPush(api, browser("denied", "denied").env);
    expect(calls).toHaveLength(0);
  });

  it("turning off deletes the subscription on the server, then in the browser", async () => {
    const { api, called } = backend();
    const sub = subscription("https://push.example/old", KEY);
    await disablePush(api, browser("granted", "granted", sub).env);
    expect(called("DELETE", "/api/v1/push/subscriptions")[0]?.body).toEqual({ endpoint: "https://push.example/old" });
    expect(sub.unsubscribed).toBe(true);
  });
});

describe("notifications panel", () => {
  it("asks only after a tap, and explains calmly how to unblock when denied", async () => {
    const { api } = backend();
    const { env, state } = browser("default", "denied");
    const panel = notificationsPanel({ api, env });
    document.body.replaceChildren(panel);
    expect(state.asked).toBe(0);
    const button = byTestId<HTMLButtonElement>(panel, "notifications-button");
    expect(button.hidden).toBe(false);
    button.click();
    await until(() => panel.dataset.state === "denied");
    expect(panel.textContent).toContain(PUSH_TEXT.denied);
    expect(panel.textContent).toMatch(/settings/);
    expect(panel.textContent).toMatch(/Inbox still lists every request/);
    expect(button.hidden).toBe(true);
  });

  it("says so where notifications are not supported", () => {
    const { api } = backend();
    const panel = notificationsPanel({ api, env: {} });
    expect(panel.textContent).toContain(PUSH_TEXT.unsupported);
    expect(byTestId(panel, "notifications-button").hidden).toBe(true);
  });

  it("on the inbox it disappears once notifications are on", async () => {
    const { api } = backend();
    const { env } = browser("default", "granted");
    const panel = notificationsPanel({ api, env, compact: true });
    expect(panel.hidden).toBe(false);
    byTestId(panel, "notifications-button").click();
    await until(() => panel.hidden);
  });

  it("shows a failed subscription as a message, not a crash", async () => {
    const { api } = fakeBackend({ "GET /api/v1/push/vapid-public-key": { status: 503, body: { error: { code: "busy", message: "x" } } } });
    const { env } = browser("default", "granted");
    const panel = notificationsPanel({ api, env });
    byTestId(panel, "notifications-button").click();
    await until(() => /could not be turned on/.test(panel.textContent ?? ""));
    expect(byTestId<HTMLButtonElement>(panel, "notifications-button").disabled).toBe(false);
  });
});
