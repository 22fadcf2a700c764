// Entry point: styles, the app, and the service worker (production builds only, so the dev
// server's modules are never cached).

import "./ui/styles.css";
import { startApp } from "./app/app";

const root = document.getElementById("app");
if (root) void startApp(root);

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Without it the app still works online; nothing to tell the manager.
    });
  });
}
