// `main.ts` with a bot token, as an operator runs it: a token Telegram rejects costs one warning
// line and the bot, never the app; a polling bot is stopped on SIGTERM before the process exits.
import assert from "node:assert/strict";
import { AppProcess } from "./support/app_process.ts";
import { startFakeTelegram } from "./support/fake_telegram.ts";
import { messageUpdate, waitFor } from "./support/telegram.ts";
import { tempDir } from "./support/temp_dir.ts";

Deno.test("main.ts with a token Telegram rejects: one clear warning, the app serves", async () => {
  await using tg = startFakeTelegram();
  tg.rejectToken();
  await using temp = await tempDir("craveny-telegram-");
  const app = new AppProcess({
    DATA_DIR: temp.path,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
  });
  try {
    const url = await app.listeningUrl(60_000);
    const report = await waitFor(async () => {
      const body = await (await fetch(`${url}/health`)).json();
      return body.checks.telegram.detail === "token_rejected" && body;
    }, "/health to report the rejected token");
    assert.equal(report.status, "degraded");
    assert.equal(report.checks.database.status, "up");
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
  } finally {
    assert.equal(await app.stop(), 0);
  }
  const warnings = app.output().split("\n").filter((line) => line.includes('"level":"warn"'));
  assert.equal(warnings.length, 1, app.output());
  assert.match(warnings[0], /telegram rejected TELEGRAM_BOT_TOKEN: the bot is off/);
  assert.ok(!app.output().includes(tg.token.split(":")[1]), "the token never reaches the logs");
});

Deno.test("main.ts polling: answers a command, and SIGTERM stops polling before exit", async () => {
  await using tg = startFakeTelegram({ limits: false });
  await using temp = await tempDir("craveny-telegram-");
  const app = new AppProcess({
    DATA_DIR: temp.path,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_MODE: "polling",
  });
  let code: number;
  let stoppedAt = 0;
  try {
    await app.listeningUrl(60_000);
    tg.pushUpdate(messageUpdate(77, "/stock AAPL"));
    const reply = await waitFor(() => tg.messagesTo(77)[0], "the /stock answer", 30_000);
    assert.match(reply.plainText, /^AAPL · Apple/);
  } finally {
    stoppedAt = Date.now();
    code = await app.stop();
  }
  assert.equal(code, 0, app.output());
  assert.match(app.output(), /"message":"telegram bot polling for updates"/);
  // After SIGTERM exactly one getUpdates came: bot.stop() confirming the handled update (the long
  // poll it aborted is still held open by the fake server, so it is not recorded yet).
  const afterStop = tg.calls.filter((c) => c.method === "getUpdates" && c.at >= stoppedAt);
  assert.deepEqual(afterStop.map((c) => c.status), [200]);
  assert.equal(tg.pendingUpdates, 0);
});
