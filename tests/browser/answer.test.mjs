// Real-browser end-to-end test of the peer's half: a manager's confirmed ask is routed to a
// peer whose browser joined by invite; the peer opens the request from the inbox and answers
// by voice through Chromium's fake microphone (jfk.wav); the asker then finds the voice answer,
// transcribed, on the ask. Run as dictation.test.mjs says.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { artifacts, checkPrerequisites, cleanup, invite, jfk, launchBrowser, sleep, startServer } from "./harness.mjs";

after(cleanup);

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

test("a peer answers a request by voice in headless Chromium", { timeout: 600_000 }, async () => {
  checkPrerequisites();
  const server = await startServer();

  // The peer joins in the browser and describes what they know.
  const peerInvite = await invite(server.env, "Pat Peer");
  const browser = await launchBrowser(jfk);
  const page = await browser.newPage({ viewport: { width: 412, height: 860 } });
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  const shot = (name) => page.screenshot({ path: join(artifacts, name), fullPage: true });

  try {
    await page.goto(peerInvite.link);
    await page.getByTestId("talk-button").waitFor({ state: "visible", timeout: 60_000 });
    const saved = await page.evaluate(() =>
      fetch("/api/v1/me/profile", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          expertise: "Space programs, national goals and leading ambitious public projects",
          team: "Strategy", site: "Houston", timezone: "UTC", quiet_hours: null, weekly_budget: 5,
          contact: { email: "pat@example.com", phone: null },
        }),
      }).then((r) => r.status),
    );
    assert.equal(saved, 200);

    // A manager (through the API) asks something in the peer's field and confirms it.
    const asker = await invite(server.env, "Ada Asker");
    const session = await fetch(`${server.base}/api/v1/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ invite_code: asker.code }),
    }).then((r) => r.json());
    const token = session.token;
    const draft = await api(server.base, token, "POST", "/api/v1/asks", {
      text: "We want to set an ambitious national space goal for our public program. How do we rally people around it?",
    });
    await api(server.base, token, "POST", `/api/v1/asks/${draft.id}/confirm`, {});

    // The request reaches the peer's inbox.
    await page.goto(new URL("/#/inbox", server.base).href);
    const item = page.locator(`[data-testid=inbox-item][data-ask-id="${draft.id}"]`);
    for (let i = 0; i < 60 && !(await item.count()); i++) {
      await sleep(1000);
      await page.getByTestId("inbox-refresh").click().catch(() => {});
    }
    await item.waitFor({ state: "visible", timeout: 10_000 });
    await shot("10-peer-inbox.png");
    await item.locator("a").first().click();
    await page.getByTestId("request-card-title").waitFor({ state: "visible", timeout: 60_000 });
    await shot("11-request.png");

    // Tap to start, let jfk.wav play, tap to send.
    const talk = page.getByTestId("answer-talk-button");
    const started = Date.now();
    await talk.click();
    await page.waitForFunction(
      () => (document.querySelector("[data-testid=answer-live-transcript]")?.textContent ?? "").trim().length > 0,
      null,
      { timeout: 60_000 },
    );
    await shot("12-answer-partial.png");
    const left = 12_000 - (Date.now() - started);
    if (left > 0) await sleep(left);
    await talk.click();
    await page.getByTestId("answer-sent").waitFor({ state: "visible", timeout: 180_000 });
    await shot("13-answer-sent.png");

    // The asker sees the answer, spoken and transcribed.
    const ask = await api(server.base, token, "GET", `/api/v1/asks/${draft.id}`);
    const answer = ask.answers.find((a) => a.author.name === "Pat Peer");
    assert.ok(answer, `no answer from the peer on ${JSON.stringify(ask)}`);
    assert.equal(answer.via, "voice");
    assert.match(answer.text, /country/i, `answer: ${answer.text}`);
    console.log(`voice answer: ${answer.text}`);
  } catch (err) {
    await shot("answer-failure.png").catch(() => {});
    console.error(`browser log:\n${consoleLines.join("\n")}\nserver log tail:\n${server.tail()}`);
    throw err;
  }
});
