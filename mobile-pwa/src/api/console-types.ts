// The shapes of the concierge console's API, as /work/console-contract.md writes them. Types
// only: nothing here reaches a bundle.

import type { Person, Profile } from "./types";

export type QueueState = "draft" | "routed" | "waiting" | "answered" | "closed";

/** A moment as the server sends it: RFC 3339 text, or milliseconds since the epoch. */
export type Moment = string | number | null | undefined;

export interface QueueItem {
  id: string;
  state: QueueState | string;
  status: string;
  asker: Person;
  title: string | null;
  summary: string | null;
  excerpt: string;
  created_at: string;
  created_at_ms: number;
  paused: boolean;
  asked_count: number;
  answer_count: number;
  similarity: number | null;
}

export interface Queue {
  counts: Partial<Record<QueueState, number>>;
  asks: QueueItem[];
}

export interface QueueQuery {
  state?: QueueState | "";
  q?: string;
  similar?: string;
  limit?: number;
}

/** One timed sentence, relative to the recording's start. */
export interface Segment {
  start_ms: number;
  end_ms: number;
  text: string;
}

export interface AudioInfo {
  url: string;
  available: boolean;
  deleted_at: Moment;
}

export interface ConsoleCard {
  title: string;
  summary: string;
  help_needed: string;
  tags: string[];
  source?: string;
}

/** The matcher's reasons: a sentence and the factors it was made of (matching/src/score.rs). */
export interface Reasons {
  summary?: string;
  relevance?: number;
  availability?: number;
  bridging?: number;
  evidence?: string | null;
  expertise_similarity?: number | null;
  best_answer_similarity?: number | null;
  requests_this_week?: number;
  weekly_budget?: number;
  open_requests?: number;
  median_response_minutes?: number | null;
  other_team?: boolean;
  other_site?: boolean;
  added_by_concierge?: boolean;
  [key: string]: unknown;
}

export interface AskedEntry {
  member_id: string;
  name: string;
  wave: number;
  rank: number;
  state: string;
  reasons: Reasons | null;
  added_by: Person | null;
  referred_by: Person | null;
  withdrawn: boolean;
  asked_at: Moment;
  responded_at: Moment;
}

export interface ConsoleAnswer {
  id: string;
  member: Person;
  text: string;
  via: "voice" | "text" | string;
  segments: Segment[] | null;
  audio: AudioInfo | null;
  helpful: boolean | null;
  left_out: boolean;
  created_at: Moment;
}

export interface DigestPoint {
  answer_id: string;
  author: string;
  sentence: string;
  source?: string;
}

export interface ConsoleDigest {
  points: DigestPoint[];
  text: string;
  answer_count: number;
  curated_by: Person | null;
  curated_at: Moment;
  sent_at: Moment;
}

export interface ConsoleAsk {
  id: string;
  state: QueueState | string;
  status: string;
  paused: boolean;
  paused_at: Moment;
  asker: Person & { team?: string | null; site?: string | null };
  created_at: Moment;
  share_audio: boolean;
  transcript: string;
  segments: Segment[] | null;
  audio: AudioInfo | null;
  card: ConsoleCard | null;
  card_edited_by_asker: boolean;
  concierge_edited_at: Moment;
  asked: AskedEntry[];
  answers: ConsoleAnswer[];
  digest: ConsoleDigest | null;
}

export interface CardBody {
  title: string;
  summary: string;
  help_needed: string;
  tags: string[];
}

export interface Candidate {
  member_id: string;
  name: string;
  rank: number;
  score: number;
  reasons: Reasons | null;
  asked: boolean;
  eligible: boolean;
}

export interface Curation {
  points: { answer_id: string; sentence: string }[];
  left_out: string[];
}

export interface MemberLoad {
  open_requests: number;
  asked_this_week: number;
  weekly_budget: number;
  answered: number;
  passed: number;
}

export interface ConsoleMember {
  id: string;
  name: string;
  role: "manager" | "concierge" | string;
  active: boolean;
  created_at: Moment;
  profile: Partial<Profile> | null;
  load: MemberLoad | null;
}

export type InviteRole = "manager" | "concierge";

export interface Invite {
  code: string;
  link: string;
}

export interface HealthWeek {
  week_start: string;
  asks: number;
  answered_share: number | null;
  first_answer_median_minutes: number | null;
  first_answer_p90_minutes: number | null;
  answers_per_ask: number | null;
  helpful: number;
  not_helpful: number;
  helpful_share: number | null;
  contact_share: number | null;
}

export interface Health {
  weeks: HealthWeek[];
  totals: Omit<HealthWeek, "week_start">;
}

export interface AuditEntry {
  id: string;
  actor: Person;
  action: string;
  subject_kind: string;
  subject_id: string;
  before: unknown;
  after: unknown;
  at: string;
  at_ms: number;
}

export interface AuditQuery {
  subject_kind?: string;
  subject_id?: string;
  before_ms?: number;
  limit?: number;
}
