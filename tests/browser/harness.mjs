// Shared by the browser tests: the real `coagent serve` on a free port with a fresh data
// directory, invites from the real CLI, and headless Debian Chromium with a WAV file as its
// fake microphone. Everything started is stopped by `cleanup()` (call it from `after`).

import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const bin =
  process.env.COAGENT_BIN ||
  join(process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target"), "debug/coagent");
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
export const pwaDir = join(repo, "mobile-pwa/dist");
export const jfk = join(repo, "tests/fixtures/jfk.wav");
export const artifacts = resolve(repo, process.env.COAGENT_ARTIFACTS_DIR || "target/browser-artifacts");

const cleanups = [];
export async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch((e) => console.error("cleanup:", e));
  cleanups.length = 0;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fails early, with the fix, when something the browser tests need is missing. */
export function checkPrerequisites() {
  assert.ok(existsSync(bin), `no coagent binary at ${bin}: build it (cargo build --bin coagent) or set COAGENT_BIN`);
  assert.ok(existsSync(join(pwaDir, "index.html")), `no built PWA at ${pwaDir}: run npm ci && npm run build in mobile-pwa`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM`);
  assert.ok(existsSync(jfk), `missing fixture ${jfk}`);
  mkdirSync(artifacts, { recursive: true });
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** `coagent serve` with `extraEnv` (settings such as COAGENT_PEERS_PER_WAVE) on top. */
export async function startServer(extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "coagent-browser-"));
  const env = {
    ...process.env,
    COAGENT_ADDR: `127.0.0.1:${port}`,
    COAGENT_DATA_DIR: dataDir,
    COAGENT_PWA_DIR: pwaDir,
    ...extraEnv,
  };
  delete env.COAGENT_PUBLIC_URL; // the invite link must point at this server
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(bin, ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 400) log.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));
  cleanups.push(async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) child.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  const tail = () => log.join("").slice(-4000);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) assert.fail(`coagent serve exited (${JSON.stringify(exited)}) before /healthz answered:\n${tail()}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) assert.fail(`coagent serve did not answer /healthz within 120 s:\n${tail()}`);
    await sleep(500);
  }
  return { base, env, tail };
}

export async function invite(env, name = "Browser Test", role = "manager") {
  const { stdout } = await promisify(execFile)(bin, ["invite", "--role", role, "--name", name, "--json"], {
    env,
    timeout: 60_000,
  });
  const out = JSON.parse(stdout);
  assert.ok(out.code && out.link, `invite printed no code/link: ${stdout}`);
  return out;
}

/** Headless Chromium whose microphone plays `wav`. */
export async function launchBrowser(wav = jfk) {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}`,
    ],
  });
  cleanups.push(() => browser.close());
  return browser;
}
