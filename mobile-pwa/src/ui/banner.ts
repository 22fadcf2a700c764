// The strip under the header: no network, recordings waiting to upload, uploads the server
// refused. It is what makes the offline queue visible ("1 recording waiting to upload").

import type { QueueStatus, UploadQueue } from "../offline/queue";
import { h } from "./dom";

export interface Banner {
  el: HTMLElement;
  setOnline(online: boolean): void;
  setQueue(status: QueueStatus): void;
}

export function banner(queue: UploadQueue | null): Banner {
  const offline = h("p", { class: "banner-line offline", "data-testid": "offline-banner", hidden: true }, "You are offline. You can still record: it will be sent when you are back online.");
  const waitingText = h("span", {});
  const upload = h("button", { type: "button", class: "link", "data-testid": "upload-now" }, "Upload now");
  const waiting = h("p", { class: "banner-line", "data-testid": "upload-queue", hidden: true }, waitingText, " ", upload);
  const failed = h("ul", { class: "banner-failed", "data-testid": "upload-failed", hidden: true });
  const el = h("div", { class: "banner", role: "status", "aria-live": "polite" }, offline, waiting, failed);
  let online = true;

  upload.addEventListener("click", () => {
    upload.disabled = true;
    void queue?.flush().finally(() => (upload.disabled = false));
  });

  return {
    el,
    setOnline(value) {
      online = value;
      offline.hidden = value;
      upload.hidden = !value;
    },
    setQueue(status) {
      waiting.hidden = status.waiting === 0;
      waitingText.textContent = `${status.waiting} ${status.waiting === 1 ? "recording" : "recordings"} waiting to upload.`;
      upload.hidden = !online;
      failed.hidden = status.failed.length === 0;
      failed.replaceChildren(
        ...status.failed.map((rec) => {
          const discard = h("button", { type: "button", class: "link" }, "Discard");
          discard.addEventListener("click", () => void queue?.discard(rec.id));
          const when = new Date(rec.createdAt).toLocaleString();
          return h("li", {}, `A recording from ${when} could not be uploaded: ${rec.error ?? "refused by the server"}. `, discard);
        }),
      );
    },
  };
}
