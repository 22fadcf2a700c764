// Whether this browser can take Web Push, and the browser objects the push code uses (injected,
// so tests run without a browser). Small and in the first load: the app checks it at start-up;
// the rest (push/subscribe.ts) loads when needed.

export type PushState =
  | "unsupported" // no Push API here (iOS Safari outside an installed app, old browsers)
  | "default" // never asked
  | "denied" // blocked in the browser's settings: only the person can change it
  | "granted"; // allowed (a subscription may still be missing: enable() makes one)

export interface PushEnv {
  /** The Notification constructor's static side; absent where unsupported. */
  notification?: { permission: NotificationPermission; requestPermission(): Promise<NotificationPermission> };
  /** Resolves to the service worker registration; absent where unsupported. */
  registration?: () => Promise<{ pushManager: PushManagerLike }>;
}

export interface PushManagerLike {
  getSubscription(): Promise<SubscriptionLike | null>;
  subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<SubscriptionLike>;
}

export interface SubscriptionLike {
  readonly endpoint: string;
  readonly options?: { applicationServerKey?: ArrayBuffer | null };
  toJSON(): PushSubscriptionJSON;
  unsubscribe(): Promise<boolean>;
}

/** How long to wait for the service worker (never ready on the dev server, where none is
 * registered). */
const READY_MS = 10_000;

export function browserPushEnv(): PushEnv {
  const supported = typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) return {};
  return {
    notification: Notification,
    registration: () =>
      Promise.race([
        navigator.serviceWorker.ready,
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error("the service worker is not running")), READY_MS)),
      ]),
  };
}

export function pushState(env: PushEnv): PushState {
  if (!env.notification || !env.registration) return "unsupported";
  return env.notification.permission;
}

