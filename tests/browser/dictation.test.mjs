// Real-browser end-to-end test of live dictation: the real `coagent serve`, the built PWA and
// headless Debian Chromium (driven by playwright-core) with jfk.wav as a fake microphone.
//
// Run from the repository root, after `cargo build --bin coagent` and building mobile-pwa/dist:
//   (cd tests/browser && npm ci) && node --test tests/browser/
// Settings: COAGENT_BIN (server binary), CHROMIUM (browser, default /usr/bin/chromium),
// COAGENT_ARTIFACTS_DIR (screenshots, default target/browser-artifacts).
// The machine may be slow and busy: waits are generous and nothing asserts on time.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin =
  process.env.COAGENT_BIN ||
  join(process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target"), "debug/coagent");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const pwaDir = join(repo, "mobile-pwa/dist");
const audio = join(repo, "tests/fixtures/jfk.wav");
const artifacts = resolve(repo, process.env.COAGENT_ARTIFACTS_DIR || "target/browser-artifacts");
const EDITED_TITLE = "Edited in the browser test";

const cleanups = [];
after(async () => {
  for (const fn of cleanups.reverse()) await fn().catch((e) => console.error("cleanup:", e));
});

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "coagent-browser-"));
  const env = {
    ...process.env,
    COAGENT_ADDR: `127.0.0.1:${port}`,
    COAGENT_DATA_DIR: dataDir,
    COAGENT_PWA_DIR: pwaDir,
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

async function invite(env) {
  const { stdout } = await promisify(execFile)(bin, ["invite", "--role", "manager", "--name", "Browser Test", "--json"], {
    env,
    timeout: 60_000,
  });
  const out = JSON.parse(stdout);
  assert.ok(out.code && out.link, `invite printed no code/link: ${stdout}`);
  return out;
}

test("live dictation in headless Chromium: talk, see partials, edit the card, send it", { timeout: 600_000 }, async () => {
  assert.ok(existsSync(bin), `no coagent binary at ${bin}: build it (cargo build --bin coagent) or set COAGENT_BIN`);
  assert.ok(existsSync(join(pwaDir, "index.html")), `no built PWA at ${pwaDir}: run npm ci && npm run build in mobile-pwa`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM`);
  assert.ok(existsSync(audio), `missing fixture ${audio}`);
  mkdirSync(artifacts, { recursive: true });
  console.log(`screenshots: ${artifacts}`);

  const server = await startServer();
  const { link } = await invite(server.env);
  assert.ok(link.startsWith(`${server.base}/`), `invite link ${link} does not point at ${server.base}`);

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
      `--use-file-for-fake-audio-capture=${audio}`,
    ],
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 412, height: 860 } });
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  const shot = (name) => page.screenshot({ path: join(artifacts, name), fullPage: true });

  try {
    await page.goto(link);
    const talk = page.getByTestId("talk-button");
    await talk.waitFor({ state: "visible", timeout: 60_000 });
    await shot("01-home.png");

    // Tap-to-toggle: one click starts recording.
    const started = Date.now();
    await talk.click();
    const transcript = page.getByTestId("live-transcript");
    await page.waitForFunction(
      () => (document.querySelector("[data-testid=live-transcript]")?.textContent ?? "").trim().length > 0,
      null,
      { timeout: 60_000 },
    );
    console.log(`partial: ${(await transcript.textContent()).trim()}`);
    await shot("02-partial.png");

    // Let jfk.wav (about 11 s) play through, then stop.
    const left = 12_000 - (Date.now() - started);
    if (left > 0) await sleep(left);
    await talk.click();

    // The server transcribes the whole recording, then streams the card; wait for it to be ready.
    const title = page.locator("input[data-testid=card-title]");
    await page.waitForFunction(
      () => {
        const card = document.querySelector("[data-testid=card]");
        const input = document.querySelector("input[data-testid=card-title]");
        return card?.getAttribute("aria-busy") === "false" && (input?.value ?? "").trim().length > 0;
      },
      null,
      { timeout: 180_000 },
    );
    console.log(`card title from the server: ${await title.inputValue()}`);
    await shot("03-card.png");

    await title.fill(EDITED_TITLE);
    await page.getByTestId("send-button").click();
    const notice = page.getByTestId("notice");
    await page.waitForFunction(
      () => /^Sent\./.test(document.querySelector("[data-testid=notice]")?.textContent ?? ""),
      null,
      { timeout: 60_000 },
    );
    console.log(`notice: ${await notice.textContent()}`);
    await shot("04-sent.png");

    // Check through the API, with the page's cookie session.
    const list = await page.evaluate(() => fetch("/api/v1/asks").then((r) => r.json()));
    const ask = list.asks.find((a) => a.card?.title === EDITED_TITLE);
    assert.ok(ask, `no ask titled "${EDITED_TITLE}" in ${JSON.stringify(list)}`);
    assert.equal(ask.status, "confirmed");
    const one = await page.evaluate((id) => fetch(`/api/v1/asks/${id}`).then((r) => r.json()), ask.id);
    assert.equal(one.id, ask.id);
    assert.equal(one.status, "confirmed");
    assert.equal(one.card.title, EDITED_TITLE);
    assert.match(one.transcript, /country/i, `transcript: ${one.transcript}`);
    console.log(`transcript: ${one.transcript}`);
  } catch (err) {
    await shot("failure.png").catch(() => {});
    console.error(`browser log:\n${consoleLines.join("\n")}\nserver log tail:\n${server.tail()}`);
    throw err;
  }
});
