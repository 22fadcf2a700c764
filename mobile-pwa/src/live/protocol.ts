// The messages of `GET /api/v1/live` (DESIGN.md, "Contract for outside clients (v1)").
// Parsing happens here, once, so the session logic only ever sees well-formed messages.

export interface Card {
  title: string;
  summary: string;
  help_needed: string;
  tags: string[];
}

export type StartMessage = {
  type: "start";
  sample_rate: number;
  resume?: string;
} & ({ purpose: "ask" } | { purpose: "answer"; ask_id: string });

export type ClientMessage = StartMessage | { type: "stop" };

export type ServerMessage =
  | { type: "ready"; recording_id: string; received_ms: number }
  // audio_ms: how much of the recording the text reflects (added to v1; older servers omit it).
  | { type: "partial"; committed: string; tentative: string; audio_ms?: number }
  | { type: "transcript"; recording_id: string; text: string; duration_ms: number }
  | { type: "summary_delta"; text: string }
  | ({ type: "card"; ask_id: string } & Card)
  | { type: "answer"; answer_id: string }
  | { type: "done" }
  | { type: "error"; code: string; message: string };

/** Returns null for anything that is not a message we understand (unknown types are ignored
 * so the server can add new ones without breaking installed apps). */
export function parseServerMessage(data: string): ServerMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const m = raw as Record<string, unknown>;
  const str = (k: string): string => (typeof m[k] === "string" ? (m[k] as string) : "");
  const num = (k: string): number => (typeof m[k] === "number" && Number.isFinite(m[k]) ? (m[k] as number) : 0);
  switch (m.type) {
    case "ready":
      return { type: "ready", recording_id: str("recording_id"), received_ms: Math.max(0, Math.floor(num("received_ms"))) };
    case "partial":
      return {
        type: "partial",
        committed: str("committed"),
        tentative: str("tentative"),
        ...(typeof m.audio_ms === "number" && Number.isFinite(m.audio_ms) ? { audio_ms: num("audio_ms") } : {}),
      };
    case "transcript":
      return { type: "transcript", recording_id: str("recording_id"), text: str("text"), duration_ms: num("duration_ms") };
    case "summary_delta":
      return { type: "summary_delta", text: str("text") };
    case "card":
      return {
        type: "card",
        ask_id: str("ask_id"),
        title: str("title"),
        summary: str("summary"),
        help_needed: str("help_needed"),
        tags: Array.isArray(m.tags) ? m.tags.filter((t): t is string => typeof t === "string") : [],
      };
    case "answer":
      return { type: "answer", answer_id: str("answer_id") };
    case "done":
      return { type: "done" };
    case "error":
      return { type: "error", code: str("code") || "internal", message: str("message") };
    default:
      return null;
  }
}
