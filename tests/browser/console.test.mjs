// Real-browser end-to-end test of the concierge's desk: a manager's spoken ask (jfk.wav,
// uploaded) is routed to one peer who answers; the concierge signs in, finds the ask by
// searching its transcript, plays one sentence of its audio, edits the card, re-routes it to
// a second peer (whose push the Node push service receives, verifies and decrypts), curates
// the digest and sends it to the asker, and finds each action in the audit log.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { artifacts, checkPrerequisites, cleanup, invite, jfk, launchBrowser, sleep, startServer } from "./harness.mjs";
import { startPushService } from "./push-service.mjs";

after(cleanup);

async function api(base, token, method, path, body, headers = { "content-type": "application/json" }) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signIn(server, name, role = "manager") {
  const { code } = await invite(server.env, name, role);
  const res = await fetch(`${server.base}/api/v1/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ invite_code: code }),
  });
  assert.equal(res.status, 201, `sign in ${name}`);
  return (await res.json()).token;
}

async function until(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

test("the concierge finds, hears, edits, re-routes and curates an ask", { timeout: 600_000 }, async () => {
  checkPrerequisites();
  // One peer per wave, so the second peer is only reached when the concierge re-routes.
  const server = await startServer({ COAGENT_PEERS_PER_WAVE: "1", COAGENT_ESCALATE_AFTER_MINUTES: "600" });
  const push = await startPushService();
  after(() => push.close());

  const profile = (expertise, team) => ({
    expertise, team, site: "Lyon", timezone: "UTC", quiet_hours: null, weekly_budget: 5,
    contact: { email: null, phone: null },
  });
  const asker = await signIn(server, "Ada Asker");
  const ana = await signIn(server, "Ana Peer");
  const ben = await signIn(server, "Ben Peer");
  await api(server.base, ana, "PUT", "/api/v1/me/profile", profile("National service, civic duty and rallying citizens around a public goal", "Policy"));
  await api(server.base, ben, "PUT", "/api/v1/me/profile", profile("Warehouse logistics, forklifts and shipping schedules", "Operations"));
  for (const [name, token] of [["asker", asker], ["ana", ana], ["ben", ben]]) {
    await api(server.base, token, "POST", "/api/v1/push/subscriptions", push.subscription(name));
  }

  // The asker's spoken ask (uploaded), confirmed, routed to Ana, who answers by text.
  const draft = await api(server.base, asker, "POST", "/api/v1/asks", readFileSync(jfk), { "content-type": "audio/wav" });
  await api(server.base, asker, "POST", `/api/v1/asks/${draft.id}/confirm`, {});
  await push.waitForMessage("ana", () => true, 120_000);
  await api(server.base, ana, "POST", `/api/v1/asks/${draft.id}/answers`, {
    text: "Pick one national goal people can see. Ask every team what it will give to reach it, and publish the answers.",
  });
  const firstDigest = await until("the first digest", async () => {
    const ask = await api(server.base, asker, "GET", `/api/v1/asks/${draft.id}`);
    return ask.digest?.points?.length ? ask.digest : null;
  });

  const concierge = await invite(server.env, "Cleo Concierge", "concierge");
  const browser = await launchBrowser(jfk);
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  const shot = (name) => page.screenshot({ path: join(artifacts, name), fullPage: true });

  try {
    // Sign in by the invite link, then the console's queue; search a word of the transcript.
    await page.goto(concierge.link);
    await page.getByRole("link", { name: "Concierge console" }).click({ timeout: 60_000 });
    await page.getByLabel("Search asks").fill("country");
    await page.getByLabel("Search asks").press("Enter");
    const row = page.locator(`tr[data-ask-id="${draft.id}"] a`);
    await row.waitFor({ state: "visible", timeout: 30_000 });
    await shot("20-console-queue-search.png");
    await row.click();

    // Play one sentence: the audio seeks to its start and plays.
    const sentences = page.getByRole("list", { name: "Transcript", exact: true }).getByRole("button");
    await sentences.first().waitFor({ state: "visible", timeout: 30_000 });
    const which = (await sentences.count()) > 1 ? 1 : 0;
    const ask = await api(server.base, (await signInConcierge(server)), "GET", `/api/v1/console/asks/${draft.id}`);
    const startS = ask.segments[which].start_ms / 1000;
    await sentences.nth(which).click();
    const playing = await page.waitForFunction(
      (start) => {
        const audio = document.querySelector("audio");
        return audio && !audio.paused && audio.currentTime >= start - 0.05 ? audio.currentTime : false;
      },
      startS,
      { timeout: 20_000 },
    );
    console.log(`playing sentence ${which} from ${startS} s, now at ${await playing.jsonValue()} s`);
    await shot("21-console-ask-playing.png");

    // Edit the card; the asker sees the new title and that the concierge edited it.
    await page.getByRole("button", { name: "Edit card" }).click();
    await page.getByLabel("Title").fill("Rallying the country around one shared goal");
    await page.getByRole("button", { name: "Save card" }).click();
    const edited = await until("the edited card", async () => {
      const seen = await api(server.base, asker, "GET", `/api/v1/asks/${draft.id}`);
      return seen.card?.title === "Rallying the country around one shared goal" ? seen : null;
    }, 20_000);
    assert.equal(edited.edited_by_concierge, true);

    // Re-route to Ben from the ranking: Ben's push arrives, verified and decrypted.
    await page.getByRole("button", { name: "Ask this peer: Ben Peer" }).click();
    const benPush = await push.waitForMessage("ben", () => true, 60_000);
    console.log(`Ben's push: ${JSON.stringify(benPush.payload)}`);
    await shot("22-console-rerouted.png");

    // Curate the digest: rewrite Ana's point, save, send; the asker gets the curated text.
    const curated = "Choose one visible national goal and publish what each team will give.";
    const point = page.getByRole("textbox", { name: "Sentence from Ana Peer" });
    await point.fill(curated);
    await page.getByRole("button", { name: "Save curation" }).click();
    const digestsBefore = push.messages("asker").length;
    await page.getByRole("button", { name: "Send to asker" }).click();
    await until("the curated digest's push", async () => push.messages("asker").length > digestsBefore, 30_000);
    const sent = await api(server.base, asker, "GET", `/api/v1/asks/${draft.id}`);
    assert.ok(sent.digest.points.some((p) => p.sentence === curated), `digest: ${JSON.stringify(sent.digest)}`);
    assert.notDeepEqual(sent.digest.points, firstDigest.points);
    await shot("23-console-digest-sent.png");

    // Every action is in the audit log.
    await page.getByRole("link", { name: "Audit log" }).click();
    const entries = page.getByRole("list", { name: "Audit log entries" });
    for (const action of ["card.edit", "request.add", "digest.curate", "digest.send"]) {
      await entries.locator(`[data-action="${action}"]`).first().waitFor({ state: "visible", timeout: 20_000 });
    }
    await entries.getByText("Cleo Concierge").first().waitFor({ state: "visible" });
    await shot("24-console-audit-log.png");
  } catch (err) {
    await shot("console-failure.png").catch(() => {});
    console.error(`browser log:\n${consoleLines.join("\n")}\npush service: ${JSON.stringify(push.rejections())}\nserver log tail:\n${server.tail()}`);
    throw err;
  }
});

/** A second concierge session for reading the ask's segments through the API. */
async function signInConcierge(server) {
  return signIn(server, "Cody Concierge", "concierge");
}
