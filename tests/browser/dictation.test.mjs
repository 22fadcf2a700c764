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
import { join } from "node:path";

import { artifacts, checkPrerequisites, cleanup, invite, jfk, launchBrowser, sleep, startServer } from "./harness.mjs";

const EDITED_TITLE = "Edited in the browser test";

after(cleanup);

test("live dictation in headless Chromium: talk, see partials, edit the card, send it", { timeout: 600_000 }, async () => {
  checkPrerequisites();
  console.log(`screenshots: ${artifacts}`);

  const server = await startServer();
  const { link } = await invite(server.env);
  assert.ok(link.startsWith(`${server.base}/`), `invite link ${link} does not point at ${server.base}`);

  const browser = await launchBrowser(jfk);
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
