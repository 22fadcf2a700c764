// Every problem the manager may see, in plain words, keyed by the codes the app and the server
// use. The server's own message is shown only for codes we do not know (it is written for
// people too, but not always for this screen).

const TEXT: Record<string, string> = {
  // Microphone
  mic_denied:
    "The microphone is blocked for coagent. Allow it in your browser's site settings, then try again — or type your problem instead.",
  mic_missing: "No microphone was found. Plug one in, or type your problem instead.",
  mic_unsupported: "This browser cannot record here. Try an up-to-date Chrome, Safari or Firefox, or type your problem instead.",
  mic_failed: "The microphone could not start. Close other apps that may be using it and try again.",
  // Network
  network: "No connection to coagent right now. Check your network; nothing you recorded is lost.",
  no_card: "Your ask was saved, but its card is not ready yet. It will appear in My asks.",
  connection_lost: "The connection dropped while your card was being written. It will appear in My asks.",
  // Server
  busy: "coagent is very busy right now. Your recording is kept on this phone and will be sent in a moment.",
  unauthorized: "Your sign-in has expired. Open your invite link again to continue.",
  invalid_invite: "This invite link is not valid or was already used. Ask your concierge for a new one.",
  not_found: "That item no longer exists.",
  screen_unavailable: "This screen could not load. Check your connection and try again.",
  internal: "Something went wrong on the server. Please try again in a moment.",
  bad_response: "The server sent an answer the app cannot read. Please try again later.",
};

export function messageFor(code: string, serverMessage?: string): string {
  const known = TEXT[code];
  if (known) return known;
  if (code.startsWith("http_5")) return TEXT.internal as string;
  if (serverMessage) return serverMessage;
  return "Something went wrong. Please try again.";
}
