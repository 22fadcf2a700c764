// Who was asked and why (each request with its wave, rank, state and the matcher's reasons;
// an open one can be withdrawn), and the ranking: every active member as the matcher scores
// them for this ask, to ask one more peer by hand.

import type { AskedEntry, Candidate, ConsoleAsk } from "../api/console-types";
import { h } from "../ui/dom";
import type { AskSection, Steer } from "./ask-view";
import type { ConsoleContext } from "./context";
import { table } from "./table";
import { decimal, errorText, reasonsEl, requestText, when } from "./words";

/** Candidates shown before "Show all". */
const FIRST = 10;

export function routingSection(ctx: ConsoleContext, steer: Steer): AskSection {
  let ask: ConsoleAsk | null = null;
  const askedBody = h("div", {});
  const status = h("p", { class: "status-left", role: "status" });
  const error = h("p", { class: "message error", role: "alert", hidden: true });
  const say = (text: string, failed = false) => {
    status.textContent = failed ? "" : text;
    error.textContent = failed ? text : "";
    error.hidden = !failed;
  };

  async function withdraw(peer: AskedEntry, button: HTMLButtonElement) {
    if (!ask) return;
    const id = ask.id;
    button.disabled = true;
    const failed = await steer(() => ctx.api.withdraw(id, peer.member_id));
    if (failed) {
      button.disabled = false;
      say(failed, true);
    } else say(`The request to ${peer.name} was withdrawn.`);
  }

  const ranking = rankingPanel(ctx, async (candidate) => {
    if (!ask) return false;
    const id = ask.id;
    const failed = await steer(() => ctx.api.addRequest(id, candidate.member_id));
    if (failed) say(failed, true);
    else say(`${candidate.name} was asked and gets a notification now.`);
    return !failed;
  });

  const el = h(
    "div",
    { class: "routing" },
    h("section", { class: "console-panel", "aria-labelledby": "asked-heading" }, h("h2", { id: "asked-heading" }, "Who was asked and why"), askedBody, status, error),
    ranking.el,
  );
  let rankedFor = "";
  return {
    el,
    update(next) {
      ask = next;
      const asked = (next.asked ?? []).slice().sort((a, b) => a.wave - b.wave || a.rank - b.rank);
      askedBody.replaceChildren(
        asked.length
          ? table(
              "Requests",
              ["Peer", "Wave", "Rank", "State", "Why", ""],
              asked.map((peer) => {
                const open = peer.state === "open" && !peer.withdrawn;
                const button = h("button", { type: "button", class: "secondary small", "aria-label": `Withdraw the request to ${peer.name}` }, "Withdraw");
                button.addEventListener("click", () => void withdraw(peer, button));
                const askedAt = when(peer.asked_at);
                const responded = when(peer.responded_at);
                return [
                  h("div", {}, h("strong", {}, peer.name), by("Added by", peer.added_by?.name), by("Referred by", peer.referred_by?.name)),
                  String(peer.wave),
                  String(peer.rank),
                  h("div", {}, h("span", { class: `badge rstate-${peer.withdrawn ? "withdrawn" : peer.state}` }, requestText(peer.state, peer.withdrawn)), askedAt ? h("span", { class: "meta" }, " asked ", askedAt) : null, responded ? h("span", { class: "meta" }, ", responded ", responded) : null),
                  reasonsEl(peer.reasons),
                  open ? button : "",
                ];
              }),
            )
          : h("p", { class: "meta" }, next.status === "draft" ? "Nobody yet: the asker has not sent the card." : "Nobody was asked yet."),
      );
      ranking.el.hidden = next.status === "draft";
      if (next.status === "draft") return;
      // Loaded with the page, and again when who was asked or the card changed.
      const key = JSON.stringify([asked.map((a) => [a.member_id, a.state, a.withdrawn]), next.card]);
      if (key !== rankedFor) ranking.load(next.id);
      rankedFor = key;
    },
  };
}

interface RankingPanel {
  el: HTMLElement;
  load(id: string): void;
}

function rankingPanel(ctx: ConsoleContext, askPeer: (c: Candidate) => Promise<boolean>): RankingPanel {
  const body = h("div", {});
  const refresh = h("button", { type: "button", class: "secondary small" }, "Refresh ranking");
  const more = h("button", { type: "button", class: "link", hidden: true });
  const status = h("p", { class: "status-left", role: "status" });
  let askId = "";
  let all = false;
  let seq = 0;

  async function load(id: string) {
    askId = id;
    const mine = ++seq;
    status.textContent = "Loading the ranking…";
    try {
      const candidates = (await ctx.api.ranking(id)).slice().sort((a, b) => a.rank - b.rank);
      if (mine !== seq) return;
      show(candidates);
      status.textContent = "";
    } catch (err) {
      if (mine === seq) status.textContent = errorText(err);
    }
  }

  function show(candidates: Candidate[]) {
    const shown = all ? candidates : candidates.slice(0, FIRST);
    more.hidden = candidates.length <= FIRST;
    more.textContent = all ? "Show the first 10 only" : `Show all ${candidates.length} candidates`;
    more.onclick = () => {
      all = !all;
      show(candidates);
    };
    body.replaceChildren(
      candidates.length
        ? table(
            "Ranking",
            ["Rank", "Peer", "Score", "Why", ""],
            shown.map((c) => {
              let action: Node | string = h("span", { class: "badge" }, "Asked");
              if (!c.asked) {
                const button = h("button", { type: "button", class: "primary small", "aria-label": `Ask this peer: ${c.name}` }, "Ask this peer");
                button.addEventListener("click", async () => {
                  button.disabled = true;
                  if (!(await askPeer(c))) button.disabled = false;
                });
                action = button;
              }
              return [
                String(c.rank),
                h("div", {}, h("strong", {}, c.name), c.eligible ? null : h("p", { class: "meta" }, "Not available now (quiet hours or weekly budget used)")),
                decimal(c.score),
                reasonsEl(c.reasons, c.score),
                action,
              ];
            }),
          )
        : h("p", { class: "meta" }, "No other active member to rank."),
    );
  }

  refresh.addEventListener("click", () => void load(askId));
  const el = h(
    "section",
    { class: "console-panel", "aria-labelledby": "ranking-heading" },
    h("div", { class: "row" }, h("h2", { id: "ranking-heading" }, "Ranking"), refresh),
    h("p", { class: "meta" }, "The matcher’s ranking of every active member for this ask. A peer you ask by hand gets a notification like any routed peer."),
    status,
    body,
    more,
  );
  return { el, load: (id) => void load(id) };
}

function by(label: string, name: string | undefined): HTMLElement | null {
  return name ? h("p", { class: "meta" }, `${label} ${name}`) : null;
}
