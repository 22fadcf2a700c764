/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { serviceWorker } from "./scripts/sw-plugin.ts";

// `npm run dev` proxies the API to a local `coagent serve` (COAGENT_ADDR, default as in
// DESIGN.md), WebSocket included, so the app runs against the real server during development.
const api = `http://${process.env.COAGENT_ADDR ?? "127.0.0.1:8080"}`;

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    // The network screens load on demand (dynamic imports); every browser that runs the audio
    // worklet supports modulepreload, so the polyfill would be dead weight.
    modulePreload: { polyfill: false },
  },
  // The audio worklet is loaded with `?worker&url`: one self-contained file, no imports.
  worker: { format: "iife" },
  plugins: [serviceWorker()],
  server: {
    proxy: { "/api": { target: api, ws: true, changeOrigin: false } },
  },
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    environment: "node",
  },
});
