// "Turn on notifications": the button (permission is only asked after a tap), and calm words
// for the cases where it cannot work. On the profile screen in full; on the inbox as a gentle
// prompt that disappears once notifications are on.

import { ApiError } from "../api/client";
import type { NetworkApi } from "../api/network";
import { pushState, type PushEnv, type PushState } from "../push/env";
import { disablePush, enablePush, isSubscribed } from "../push/subscribe";
import { h } from "./dom";
import { messageFor } from "./messages";

export const PUSH_TEXT = {
  unsupported:
    "This browser cannot show notifications from coagent. On an iPhone or iPad, add coagent to your Home Screen (Share, then “Add to Home Screen”) and open it from there. Your Inbox still lists every request.",
  denied:
    "Notifications are blocked for coagent in this browser. To get them, open the site settings (the icon next to the address, or your phone’s Settings, then Notifications) and allow notifications for coagent. Meanwhile your Inbox still lists every request.",
  prompt: "Get a notification when a colleague asks for your help, and when answers to your asks are in.",
  on: "Notifications are on for this phone.",
};

export function notificationsPanel(opts: { api: NetworkApi; env: PushEnv; compact?: boolean }): HTMLElement {
  const { api, env } = opts;
  const text = h("p", { class: "push-text" });
  const button = h("button", { type: "button", class: "secondary", "data-testid": "notifications-button" }, "Turn on notifications");
  const off = h("button", { type: "button", class: "link", "data-testid": "notifications-off", hidden: true }, "Turn off");
  const status = h("p", { class: "push-status", role: "status" });
  const el = h("section", { class: "push-panel", "aria-label": "Notifications", "data-testid": "notifications" }, text, button, off, status);

  function render(state: PushState, subscribed: boolean) {
    el.dataset.state = state;
    const on = state === "granted" && subscribed;
    el.hidden = Boolean(opts.compact) && on;
    text.textContent = state === "unsupported" ? PUSH_TEXT.unsupported : state === "denied" ? PUSH_TEXT.denied : on ? PUSH_TEXT.on : PUSH_TEXT.prompt;
    button.hidden = !(state === "default" || (state === "granted" && !subscribed));
    off.hidden = !on || Boolean(opts.compact);
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "";
    try {
      const state = await enablePush(api, env);
      render(state, state === "granted");
      if (state === "granted") status.textContent = "Done: you will get a notification when someone needs you.";
      else if (state === "default") status.textContent = "Notifications were not turned on. You can try again at any time.";
    } catch (err) {
      status.textContent = `Notifications could not be turned on: ${err instanceof ApiError ? messageFor(err.code, err.message) : "the browser refused the subscription."} Please try again later.`;
    } finally {
      button.disabled = false;
    }
  });
  off.addEventListener("click", async () => {
    off.disabled = true;
    try {
      await disablePush(api, env);
      render(pushState(env), false);
      status.textContent = "Notifications are off. Your Inbox still lists every request.";
    } catch (err) {
      status.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : "Could not turn notifications off. Please try again.";
    } finally {
      off.disabled = false;
    }
  });

  const state = pushState(env);
  // Granted almost always means subscribed (every app open re-syncs): no flash of the button.
  render(state, state === "granted");
  if (state === "granted") void isSubscribed(env).then((subscribed) => render(pushState(env), subscribed));
  return el;
}
