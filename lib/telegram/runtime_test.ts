// The bot's modes as the app serves them, over real HTTP: off without a token, a rejected token,
// Telegram unreachable at first, and webhook mode with its secret, limits and malformed calls.
import assert from "node:assert/strict";
import { createTestUser } from "../../tests/support/auth.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { startFakeTelegram } from "../../tests/support/fake_telegram.ts";
import {
  botConfig,
  callbackUpdate,
  messageUpdate,
  nextMessage,
  seedMarket,
  startBotApp,
  waitFor,
} from "../../tests/support/telegram.ts";
import { loadConfig } from "../config.ts";
import { createLinkCode } from "./link_codes.ts";
import { SECRET_HEADER, WEBHOOK_BODY_LIMIT_BYTES } from "./webhook.ts";

const SECRET = "webhook-secret-0123456789";
const CHAT = 31337;

async function health(url: string) {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: await response.json() };
}

function post(url: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  return fetch(`${url}/telegram/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
}

Deno.test("no token: the bot is off, /health says so and stays ok, the webhook is 404", async () => {
  await using app = await startBotApp({ config: loadConfig({}) });
  await app.telegram.ready;
  assert.equal(app.telegram.state, "off");
  const { status, body } = await health(app.url);
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.deepEqual(body.checks.telegram, {
    status: "up",
    required: false,
    kind: "outbox",
    detail: "off",
  });
  const response = await post(app.url, "{}");
  assert.equal(response.status, 404);
  await response.body?.cancel();
  assert.ok(app.context.logs.some((line) => line.includes("telegram bot off")));
});

Deno.test("a token Telegram rejects: one warning, the app stays up, /health reports it", async () => {
  await using tg = startFakeTelegram();
  tg.rejectToken();
  await using app = await startBotApp({ config: botConfig(tg) });
  await app.telegram.ready;
  assert.equal(app.telegram.state, "token_rejected");
  const warnings = app.context.logs.filter((line) => line.includes('"level":"warn"'));
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /telegram rejected TELEGRAM_BOT_TOKEN/);
  assert.ok(
    !app.context.logs.some((line) => line.includes(tg.token.split(":")[1])),
    "no secret in logs",
  );
  const { status, body } = await health(app.url);
  assert.equal(status, 200, "not required: never a 503");
  assert.equal(body.status, "degraded");
  assert.deepEqual(body.checks.telegram, {
    status: "down",
    required: false,
    kind: "telegram",
    detail: "token_rejected",
  });
  assert.equal(body.checks.database.status, "up");
  // Only getMe was tried: no retries against a rejected token.
  assert.deepEqual(tg.calls.map((c) => [c.method, c.status]), [["getMe", 401]]);
});

Deno.test("Telegram failing at first: retried with backoff until the bot polls", async () => {
  await using tg = startFakeTelegram({ limits: false });
  tg.failNext({ count: 3, method: "getMe", status: 502 });
  await using app = await startBotApp({ config: botConfig(tg) });
  await app.telegram.ready;
  assert.equal(app.telegram.state, "connecting");
  assert.equal((await health(app.url)).body.checks.telegram.status, "configured");
  await waitFor(() => app.telegram.state === "polling", "the bot to poll");
  assert.equal(tg.calls.filter((c) => c.method === "getMe").length, 4);
  const warnings = app.context.logs.filter((line) => line.includes("telegram unreachable"));
  assert.equal(warnings.filter((line) => line.includes('"level":"warn"')).length, 1);
});

Deno.test("webhook: setWebhook with the secret; forged calls 401; bad bodies 400/413", async () => {
  await using tg = startFakeTelegram({ limits: false });
  const db = await openTestDatabase();
  const app = await startBotApp({
    db,
    config: botConfig(tg, { TELEGRAM_MODE: "webhook", TELEGRAM_WEBHOOK_SECRET: SECRET }),
  });
  try {
    await app.telegram.ready;
    assert.equal(app.telegram.state, "webhook");
    assert.deepEqual(tg.webhook, {
      url: "https://craveny.test/telegram/webhook",
      secretToken: SECRET,
      maxConnections: 40,
      allowedUpdates: ["message", "callback_query", "my_chat_member"],
    });
    assert.equal(tg.calls.filter((c) => c.method === "getUpdates").length, 0);
    const update = JSON.stringify({ update_id: 99, ...messageUpdate(CHAT, "/help") });

    const forged: Record<string, string>[] = [
      {},
      { [SECRET_HEADER]: "" },
      { [SECRET_HEADER]: "wrong" },
      { [SECRET_HEADER]: `${SECRET}x` },
      { [SECRET_HEADER]: SECRET.toUpperCase() },
    ];
    for (const headers of forged) {
      const response = await post(app.url, update, headers);
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal((await response.json()).error.code, "unauthorized");
    }
    // The secret is checked before the body is read: a forged huge body is refused just the same.
    const forgedHuge = await post(app.url, "x".repeat(WEBHOOK_BODY_LIMIT_BYTES * 2));
    assert.equal(forgedHuge.status, 401);
    await forgedHuge.body?.cancel();

    const ok = { [SECRET_HEADER]: SECRET };
    for (
      const [body, status] of [
        ["{not json", 400],
        ["", 400],
        ["[]", 400],
        ['{"message":{}}', 400],
        ['{"update_id":"7"}', 400],
        ['{"update_id":-1}', 400],
        [JSON.stringify({ update_id: 1, pad: "x".repeat(WEBHOOK_BODY_LIMIT_BYTES) }), 413],
      ] as const
    ) {
      const response = await post(app.url, body, ok);
      assert.equal(response.status, status, body.slice(0, 40));
      await response.body?.cancel();
    }
    // Well-formed envelopes with broken parts: accepted (Telegram must not resend), skipped.
    for (
      const broken of [
        { update_id: 10, message: { text: "/help" } },
        { update_id: 11, message: { message_id: 1, date: 1, chat: { id: CHAT }, text: "/help" } },
        { update_id: 12, callback_query: { id: "q" } },
        { update_id: 13, edited_message: 5 },
        { update_id: 14, some_future_kind: { whatever: true } },
      ]
    ) {
      const response = await post(app.url, JSON.stringify(broken), ok);
      assert.equal(response.status, 200, JSON.stringify(broken));
      await response.body?.cancel();
    }
    assert.equal(tg.messages.length, 0);
    assert.equal(app.context.logs.filter((l) => l.includes("telegram update skipped")).length, 4);

    const helped = await post(app.url, update, ok);
    assert.equal(helped.status, 200);
    await helped.body?.cancel();
    assert.match((await nextMessage(tg, CHAT, 0)).plainText, /\/subscribe SYMBOL/);
    assert.equal(app.context.logs.filter((l) => l.includes('"level":"error"')).length, 0);
  } finally {
    await app.close();
    await db.dispose();
  }
});

Deno.test("webhook: linking, subscribing and a button press, stored in the database", async () => {
  await using tg = startFakeTelegram({ limits: false });
  const db = await openTestDatabase();
  await seedMarket(db.sql);
  const app = await startBotApp({
    db,
    config: botConfig(tg, { TELEGRAM_MODE: "webhook", TELEGRAM_WEBHOOK_SECRET: SECRET }),
  });
  try {
    await app.telegram.ready;
    const send = async (update: Record<string, unknown>, id: number) => {
      const seen = tg.messagesTo(CHAT).length;
      const response = await post(app.url, JSON.stringify({ update_id: id, ...update }), {
        [SECRET_HEADER]: SECRET,
      });
      assert.equal(response.status, 200);
      await response.body?.cancel();
      return await nextMessage(tg, CHAT, seen);
    };
    const user = await createTestUser({ db });
    const { code } = await createLinkCode(db.sql, user.id);
    assert.match((await send(messageUpdate(CHAT, `/start ${code}`), 1)).plainText, /now linked/);
    assert.match((await send(messageUpdate(CHAT, `/start ${code}`), 2)).plainText, /already used/);
    assert.match(
      (await send(messageUpdate(CHAT, "/subscribe TSLA 75% up"), 3)).plainText,
      /Rule added/,
    );
    const list = await send(messageUpdate(CHAT, "/list"), 4);
    const [[button]] = (list.replyMarkup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard;
    const edited = await send(callbackUpdate(CHAT, list.messageId, button.callback_data), 5);
    assert.match(edited.plainText, /no alert rules/);
    const [row] = await db.sql`
      select a.active, a.min_confidence, a.direction, s.symbol from alert_subscription a
      join stock s on s.id = a.stock_id where a.chat_id = ${CHAT}`;
    assert.deepEqual({ ...row }, {
      active: false,
      min_confidence: 0.75,
      direction: "up",
      symbol: "TSLA",
    });
  } finally {
    await app.close();
    await db.dispose();
  }
});

Deno.test("webhook: Telegram refusing the set-up (an http URL) is logged, the app stays up", async () => {
  await using tg = startFakeTelegram();
  await using app = await startBotApp({
    config: botConfig(tg, {
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: "http://craveny.test",
    }),
  });
  await app.telegram.ready;
  assert.equal(app.telegram.state, "failed");
  assert.ok(app.context.logs.some((line) => line.includes("HTTPS URL must be provided")));
  assert.equal((await health(app.url)).body.checks.telegram.detail, "failed");
});

Deno.test("webhook: before the bot is connected, Telegram is asked to retry (503)", async () => {
  await using tg = startFakeTelegram();
  tg.failNext({ count: 1_000, method: "getMe", status: 500 });
  await using app = await startBotApp({
    config: botConfig(tg, { TELEGRAM_MODE: "webhook", TELEGRAM_WEBHOOK_SECRET: SECRET }),
  });
  await app.telegram.ready;
  assert.equal(app.telegram.state, "connecting");
  const body = JSON.stringify({ update_id: 1, ...messageUpdate(CHAT, "/help") });
  const forged = await post(app.url, body, { [SECRET_HEADER]: "nope" });
  assert.equal(forged.status, 401);
  await forged.body?.cancel();
  const early = await post(app.url, body, { [SECRET_HEADER]: SECRET });
  assert.equal(early.status, 503);
  assert.equal(early.headers.get("retry-after"), "5");
  await early.body?.cancel();
});
