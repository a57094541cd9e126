// The Telegram adapter against the local Bot API server over real HTTP: every answer Telegram can
// give maps to one outcome, and no outcome's description carries the token.
import assert from "node:assert/strict";
import { startFakeTelegram } from "../../tests/support/fake_telegram.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openAlertSender, OUTBOX_ONLY, TelegramAlertSender } from "./sender.ts";

Deno.test("the Telegram sender maps each answer to an outcome", async () => {
  await using tg = startFakeTelegram({
    limits: { ...limits(), chat: { count: 1, windowMs: 60_000 } },
  });
  const sender = new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot });

  const sent = await sender.send(1, "<b>AAPL</b> ▲ up");
  assert.deepEqual(sent, { kind: "sent", messageId: tg.messages[0].messageId });
  assert.equal(tg.messages[0].parseMode, "HTML");
  assert.deepEqual(await sender.send(1, "again"), { kind: "rate_limited", retryAfterSeconds: 60 });

  tg.blockChat(2);
  tg.blockChat(-3, "kicked");
  tg.blockChat(4, "not_found");
  assert.deepEqual(await sender.send(2, "x"), {
    kind: "blocked",
    reason: "blocked",
    status: 403,
    description: "Forbidden: bot was blocked by the user",
  });
  assert.equal((await sender.send(-3, "x")).kind, "blocked");
  assert.deepEqual(await sender.send(4, "x"), {
    kind: "blocked",
    reason: "not_found",
    status: 400,
    description: "Bad Request: chat not found",
  });

  tg.failNext({ status: 500 });
  assert.deepEqual(await sender.send(5, "x"), {
    kind: "failed",
    transient: true,
    status: 500,
    description: "Internal Server Error",
  });
  tg.failNext({ status: 502 });
  assert.deepEqual(await sender.send(6, "x"), {
    kind: "failed",
    transient: true,
    status: 502,
    description: "502 Bad Gateway",
  });
  const malformed = await sender.send(7, "<b>unclosed");
  assert.equal(malformed.kind === "failed" && malformed.transient, false);

  tg.rejectToken();
  assert.deepEqual(await sender.send(8, "x"), {
    kind: "failed",
    transient: false,
    status: 401,
    description: "Unauthorized",
  });
});

Deno.test("no answer in time is 'unknown'; no connection at all is a transient failure", async () => {
  const tg = startFakeTelegram({ limits: false });
  const sender = new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot, timeoutMs: 200 });
  const stall = tg.stallNext({ afterEffect: true });
  const outcome = await sender.send(1, "held");
  stall.release();
  assert.equal(outcome.kind, "unknown");
  assert.equal(tg.messages.length, 1, "it was delivered all the same");
  await tg.close();

  const refused = await sender.send(1, "x");
  assert.equal(refused.kind, "failed");
  assert.ok(refused.kind === "failed" && refused.transient && refused.status === null);
  for (const result of [outcome, refused]) {
    assert.ok(!JSON.stringify(result).includes(tg.token.split(":")[1]), JSON.stringify(result));
  }
});

Deno.test("openAlertSender: Telegram with a bot token, the outbox-only default without", () => {
  const log = createLogger("error", () => {});
  assert.equal(openAlertSender(loadConfig({}), log), OUTBOX_ONLY);
  assert.equal(OUTBOX_ONLY.delivers, false);
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: "123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz",
    TELEGRAM_API_ROOT: "http://127.0.0.1:9",
  });
  const sender = openAlertSender(config, log);
  assert.ok(sender instanceof TelegramAlertSender);
  assert.equal(sender.delivers, true);
});

function limits() {
  return {
    global: { count: 100, windowMs: 1000 },
    chat: { count: 100, windowMs: 1000 },
    group: { count: 100, windowMs: 1000 },
  };
}
