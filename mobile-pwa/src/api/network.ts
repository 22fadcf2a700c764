// The calls of the network screens (profile, push, inbox actions, answers, ratings, contacts),
// as contract-network.md writes them. Loaded with those screens, not in the first load: the
// talk screen needs none of them.

import { API, ApiError, askPath, type Api } from "./client";
import type { ContactChannel, DirectoryMember, Profile, PushSubscriptionBody, SimilarAsk } from "./types";

export type NetworkApi = Api & ReturnType<typeof networkCalls>;

/** The app's client plus the network calls. */
export function withNetwork(api: Api): NetworkApi {
  return { ...api, ...networkCalls(api.call) };
}

function networkCalls(call: Api["call"]) {
  return {
    /** `PUT /api/v1/me/profile` with every field → the saved profile; 422 `invalid_profile`
     * names the bad field in its message. */
    saveProfile(profile: Profile): Promise<Profile> {
      return call<Profile>("PUT", `${API}/me/profile`, profile);
    },

    /** `GET /api/v1/members`: the directory, for "refer a colleague". */
    async members(): Promise<DirectoryMember[]> {
      const body = await call<{ members?: DirectoryMember[] }>("GET", `${API}/members`);
      return Array.isArray(body?.members) ? body.members : [];
    },

    /** `GET /api/v1/push/vapid-public-key` → the base64url application server key. */
    async vapidPublicKey(): Promise<string> {
      const body = await call<{ public_key?: string }>("GET", `${API}/push/vapid-public-key`);
      if (typeof body?.public_key !== "string" || !body.public_key) throw new ApiError(200, "bad_response", "No push key.");
      return body.public_key;
    },

    /** `POST /api/v1/push/subscriptions` with `PushSubscription.toJSON()`; idempotent per
     * endpoint, so every app open may send it again. */
    async savePushSubscription(subscription: PushSubscriptionBody): Promise<void> {
      await call<unknown>("POST", `${API}/push/subscriptions`, subscription);
    },

    async deletePushSubscription(endpoint: string): Promise<void> {
      await call<unknown>("DELETE", `${API}/push/subscriptions`, { endpoint });
    },

    /** `GET /api/v1/asks/{id}/similar`: past asks like this one, shown before sending. */
    async similarAsks(id: string): Promise<SimilarAsk[]> {
      const body = await call<{ similar?: SimilarAsk[] }>("GET", `${askPath(id)}/similar`);
      return Array.isArray(body?.similar) ? body.similar : [];
    },

    /** The asker rates one answer. */
    async feedback(id: string, answerId: string, helpful: boolean): Promise<void> {
      await call<unknown>("POST", `${askPath(id)}/feedback`, { answer_id: answerId, helpful });
    },

    /** Records a direct contact (the success metric) and returns the link to open. */
    async contact(id: string, memberId: string, channel: ContactChannel): Promise<string> {
      const body = await call<{ href?: string }>("POST", `${askPath(id)}/contacts`, { member_id: memberId, channel });
      if (typeof body?.href !== "string" || !body.href) throw new ApiError(201, "bad_response", "No contact link.");
      return body.href;
    },

    async closeAsk(id: string): Promise<void> {
      await call<unknown>("POST", `${askPath(id)}/close`);
    },

    /** A written answer → its id. */
    async answerText(id: string, text: string): Promise<string> {
      const body = await call<{ answer_id?: string }>("POST", `${askPath(id)}/answers`, { text });
      return body?.answer_id ?? "";
    },

    /** A spoken answer that could not be streamed: the WAV as multipart `audio`, like
     * POST /asks. */
    async answerAudio(id: string, wav: Blob, idempotencyKey: string): Promise<string> {
      const form = new FormData();
      form.append("audio", wav, "answer.wav");
      const body = await call<{ answer_id?: string }>("POST", `${askPath(id)}/answers`, form, { "Idempotency-Key": idempotencyKey });
      return body?.answer_id ?? "";
    },

    async pass(id: string): Promise<void> {
      await call<unknown>("POST", `${askPath(id)}/pass`);
    },

    async refer(id: string, memberId: string): Promise<void> {
      await call<unknown>("POST", `${askPath(id)}/refer`, { member_id: memberId });
    },
  };
}
