// "The network may already know": under a fresh card, before it is sent, up to three past asks
// like it, each with its best answer folded away. Shows nothing when there are none or the
// server cannot say (it must never stand in the way of sending).

import "./network.css";
import type { Api, SimilarAsk } from "../api/client";
import { withNetwork } from "../api/network";
import { h } from "./dom";

export const MAX_SIMILAR = 3;

export function similarAsks(api: Api, askId: string): HTMLElement {
  const el = h("section", { class: "similar", "data-testid": "similar-asks", "aria-labelledby": `similar-${askId}`, hidden: true });
  withNetwork(api)
    .similarAsks(askId)
    .then(
    (found) => {
      const shown = found.slice(0, MAX_SIMILAR);
      if (!shown.length) return;
      el.replaceChildren(
        h("h3", { id: `similar-${askId}` }, "The network may already know"),
        h("p", { class: "meta" }, "Similar questions were asked before. Their best answers may help while you wait."),
        ...shown.map(similarItem),
      );
      el.hidden = false;
    },
    () => {
      // Nothing to show; sending works the same.
    },
  );
  return el;
}

function similarItem(s: SimilarAsk): HTMLElement {
  const answer = s.best_answer;
  return h(
    "details",
    { class: "similar-item", "data-testid": "similar-item" },
    h("summary", {}, s.title || "Untitled ask"),
    answer ? h("blockquote", {}, h("p", {}, answer.text), h("footer", {}, `— ${answer.author}`)) : h("p", { class: "meta" }, "No answer yet."),
  );
}
