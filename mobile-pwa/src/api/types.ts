// The shapes of the network half of the API (issue 4), as /work/contract-network.md writes
// them. Types only: nothing here reaches the bundle.

import type { Ask, Member } from "./client";

export interface QuietHours {
  /** "HH:MM", in the member's time zone. */
  start: string;
  end: string;
}

export interface Profile {
  expertise: string;
  team: string;
  site: string;
  /** IANA name, e.g. "Europe/Paris". */
  timezone: string;
  quiet_hours: QuietHours | null;
  weekly_budget: number;
  contact: { email: string | null; phone: string | null };
}

export interface Me extends Member {
  created_at?: string;
  /** Absent on servers from before issue 4. */
  profile?: Profile;
}

export interface DirectoryMember {
  id: string;
  name: string;
  team?: string;
  site?: string;
}

export type RequestState = "open" | "answered" | "passed" | "referred";

export interface Person {
  id: string;
  name: string;
}

export interface InboxRequest {
  ask_id: string;
  title: string;
  asker: Person;
  asked_at: string;
  state: RequestState | string;
}

export interface SimilarAsk {
  ask_id: string;
  title: string;
  similarity: number;
  best_answer: { author: string; text: string } | null;
}

export interface AskedPeer {
  member_id: string;
  name: string;
  rank: number;
  asked_at?: string;
  state: RequestState | string;
  reasons?: { summary?: string } & Record<string, unknown>;
}

export interface Contact {
  email: string | null;
  phone: string | null;
}

export interface Answer {
  id: string;
  author: Person;
  text: string;
  via: "voice" | "text" | string;
  created_at?: string;
  helpful: boolean | null;
  contact?: Contact;
}

export interface Digest {
  text: string;
  points?: { answer_id: string; author: string; sentence: string }[];
  sent_at?: string;
}

/** `GET /asks/{id}`: the asker's view has asked/answers/digest; an asked peer's has asker and
 * my_request instead. */
export interface AskDetail extends Ask {
  share_audio?: boolean;
  asked?: AskedPeer[];
  answers?: Answer[];
  digest?: Digest | null;
  asker?: Person;
  my_request?: { state: RequestState | string; asked_at?: string };
  /** The concierge changed the card (console-contract.md). */
  edited_by_concierge?: boolean;
}

export type ContactChannel = "call" | "message" | "email";

/** `PushSubscription.toJSON()`, what the server stores. */
export interface PushSubscriptionBody {
  endpoint?: string;
  keys?: Record<string, string>;
  expirationTime?: number | null;
}
