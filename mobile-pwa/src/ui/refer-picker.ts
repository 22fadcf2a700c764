// "Refer a colleague": a button that opens a short picker over the member directory — a filter
// box and a list box, both native controls, so keyboards and screen readers know them.

import { ApiError, type DirectoryMember } from "../api/client";
import { h } from "./dom";
import { messageFor } from "./messages";

export interface ReferPickerOptions {
  load(): Promise<DirectoryMember[]>;
  refer(member: DirectoryMember): Promise<void>;
}

let uid = 0;

export function referPicker(opts: ReferPickerOptions): { button: HTMLButtonElement; panel: HTMLElement } {
  const id = `refer-${++uid}`;
  const button = h("button", { type: "button", class: "secondary", "data-testid": "refer-button", "aria-expanded": "false", "aria-controls": id }, "Refer a colleague");
  const filter = h("input", { id: `${id}-filter`, type: "search", autocomplete: "off", "data-testid": "refer-filter" });
  const select = h("select", { id: `${id}-select`, size: 6, "data-testid": "refer-select", required: true });
  const send = h("button", { type: "submit", class: "primary", "data-testid": "refer-send" }, "Ask them instead");
  const message = h("p", { class: "message", role: "status", hidden: true });
  const panel = h(
    "form",
    { id, class: "refer-panel", hidden: true, "aria-label": "Refer a colleague" },
    h("p", { class: "hint-left" }, "Who knows this better? coagent will send them the request."),
    h("label", { for: `${id}-filter` }, "Find a colleague"),
    filter,
    h("label", { for: `${id}-select` }, "Colleague"),
    select,
    message,
    h("div", { class: "actions" }, send),
  );
  let members: DirectoryMember[] = [];
  let loaded = false;

  const fill = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = members.filter((m) => !q || [m.name, m.team, m.site].some((v) => v?.toLowerCase().includes(q)));
    select.replaceChildren(...shown.map((m) => h("option", { value: m.id }, [m.name, m.team, m.site].filter(Boolean).join(" — "))));
    if (shown.length === 1) select.selectedIndex = 0;
  };
  const say = (text: string, error = false) => {
    message.textContent = text;
    message.hidden = !text;
    message.classList.toggle("error", error);
  };

  button.addEventListener("click", async () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (!open) return;
    filter.focus();
    if (loaded) return;
    say("Loading colleagues…");
    try {
      members = await opts.load();
      loaded = true;
      fill();
      say(members.length ? "" : "No colleagues to suggest yet.");
    } catch (err) {
      say(err instanceof ApiError ? messageFor(err.code, err.message) : String(err), true);
    }
  });
  filter.addEventListener("input", fill);
  panel.addEventListener("submit", async (e) => {
    e.preventDefault();
    const member = members.find((m) => m.id === select.value);
    if (!member) {
      say("Choose a colleague in the list first.", true);
      select.focus();
      return;
    }
    send.disabled = true;
    say("");
    try {
      await opts.refer(member);
    } catch (err) {
      say(err instanceof ApiError ? messageFor(err.code, err.message) : String(err), true);
      send.disabled = false;
    }
  });
  return { button, panel };
}
