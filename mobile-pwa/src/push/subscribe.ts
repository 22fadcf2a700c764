// Web Push from the page's side: ask permission (only after a tap), subscribe with the server's
// VAPID key, and hand the subscription to the server — again at every app open, because a
// browser may rotate or drop a subscription at any time, and the server may change its key.
// The browser's objects are injected so the rules are tested without a browser.

import type { NetworkApi } from "../api/network";
import { base64UrlToBytes, sameBytes } from "./base64url";
import { pushState, type PushEnv, type PushState } from "./env";

/** From a tap on "Turn on notifications": asks permission, then subscribes and tells the
 * server. Returns where things stand; throws (ApiError or Error) only when the subscription
 * itself failed. */
export async function enablePush(api: NetworkApi, env: PushEnv): Promise<PushState> {
  if (!env.notification || !env.registration) return "unsupported";
  // Must run first in the tap's handler: Safari only shows the prompt inside a user gesture.
  const permission = await env.notification.requestPermission();
  if (permission !== "granted") return permission;
  await syncPush(api, env);
  return "granted";
}

/** At every app open when permission is granted: the existing subscription (or a fresh one
 * when there is none, or the server's key changed) goes to the server again. */
export async function syncPush(api: NetworkApi, env: PushEnv): Promise<void> {
  if (pushState(env) !== "granted" || !env.registration) return;
  const [registration, key] = await Promise.all([env.registration(), api.vapidPublicKey().then(base64UrlToBytes)]);
  let sub = await registration.pushManager.getSubscription();
  const oldKey = sub?.options?.applicationServerKey;
  if (sub && oldKey && !sameBytes(oldKey, key)) {
    // Made for another key: pushes signed with the new one would be refused by the push
    // service. A browser cannot change the key of a subscription, so make a new one.
    await sub.unsubscribe().catch(() => false);
    sub = null;
  }
  sub ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await api.savePushSubscription(sub.toJSON());
}

/** "Turn off": the server forgets this phone, then the browser drops the subscription. */
export async function disablePush(api: NetworkApi, env: PushEnv): Promise<void> {
  if (!env.registration) return;
  const registration = await env.registration();
  const sub = await registration.pushManager.getSubscription();
  if (!sub) return;
  await api.deletePushSubscription(sub.endpoint);
  await sub.unsubscribe().catch(() => false);
}

/** Is this phone subscribed right now? (For the profile screen's on/off wording.) */
export async function isSubscribed(env: PushEnv): Promise<boolean> {
  if (pushState(env) !== "granted" || !env.registration) return false;
  try {
    return (await (await env.registration()).pushManager.getSubscription()) !== null;
  } catch {
    return false;
  }
}
