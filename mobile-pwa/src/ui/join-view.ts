// First launch: join with the invite link. Opening the link does it by itself; the form is for
// a code read out or pasted (desktop, or a link opened in another browser).

import { ApiError } from "../api/client";
import { inviteCodeFromInput } from "../app/routes";
import { h } from "./dom";
import { messageFor } from "./messages";

export function joinView(opts: { code: string | null; join(code: string): Promise<void>; notice?: string }): HTMLElement {
  const input = h("input", { id: "invite", type: "text", autocomplete: "off", autocapitalize: "none", spellcheck: "false", "data-testid": "invite-input", required: true });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "join-button" }, "Join");
  const error = h("p", { class: "message error", role: "alert", hidden: !opts.notice }, opts.notice ?? "");
  const status = h("p", { class: "hint", role: "status" });
  const form = h("form", { class: "join-form" }, h("label", { for: "invite" }, "Invite link or code"), input, error, status, submit);
  const el = h(
    "section",
    { class: "join-view", "aria-labelledby": "join-heading" },
    h("h1", { id: "join-heading" }, "Welcome to coagent"),
    h("p", {}, "Say what is blocking you; coagent finds the peers in your network most likely to help. Open the invite link your concierge sent you, or paste it here."),
    form,
  );

  async function attempt(code: string) {
    submit.disabled = true;
    error.hidden = true;
    status.textContent = "Joining…";
    try {
      await opts.join(code);
    } catch (err) {
      error.textContent = err instanceof ApiError ? messageFor(err.code, err.message) : String(err);
      error.hidden = false;
      status.textContent = "";
      submit.disabled = false;
      input.focus();
    }
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const code = inviteCodeFromInput(input.value);
    if (!code) {
      error.textContent = "Paste the whole invite link, or just its code.";
      error.hidden = false;
      return;
    }
    void attempt(code);
  });
  if (opts.code) {
    input.value = opts.code;
    void attempt(opts.code);
  }
  return el;
}
