// The bot in polling mode against the fake Bot API server over real HTTP: updates go in through
// getUpdates, answers come back as sendMessage / editMessageText / answerCallbackQuery calls, and
// what the commands store is read back from the database.
import assert from "node:assert/strict";
import { createTestUser } from "../../tests/support/auth.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { startFakeTelegram } from "../../tests/support/fake_telegram.ts";
import {
  botConfig,
  callbackUpdate,
  messageUpdate,
  nextMessage,
  say,
  seedMarket,
  startBotApp,
  waitFor,
} from "../../tests/support/telegram.ts";
import { BOT_COMMANDS } from "./commands/help.ts";
import { createLinkCode, LINK_CODE_TTL_MINUTES } from "./link_codes.ts";

const CHAT = 424242;

async function setUp() {
  const tg = startFakeTelegram({ limits: false });
  const db = await openTestDatabase();
  await seedMarket(db.sql);
  const app = await startBotApp({ db, config: botConfig(tg, { TELEGRAM_MODE: "polling" }) });
  await app.telegram.ready;
  return {
    tg,
    db,
    app,
    sql: db.sql,
    async [Symbol.asyncDispose]() {
      await app.close();
      await tg.close();
      await db.dispose();
    },
  };
}

Deno.test("polling: the bot starts with its menu and links a chat with /start CODE", async () => {
  await using t = await setUp();
  const { tg, sql } = t;
  assert.equal(t.app.telegram.state, "polling");
  assert.equal(t.app.telegram.username, "craveny_test_bot");
  assert.deepEqual(
    tg.commands.get(JSON.stringify([null, ""]))?.map((c) => c.command),
    BOT_COMMANDS.map((c) => c.command),
  );

  const welcome = await say(tg, CHAT, "/start");
  assert.match(welcome.plainText, /not linked to an account/);
  assert.equal(welcome.parseMode, "HTML");
  const [chat] = await sql`select kind, title, active from telegram_chat where chat_id = ${CHAT}`;
  assert.deepEqual({ ...chat }, { kind: "private", title: "Tess", active: true });

  assert.match((await say(tg, CHAT, "/subscribe AAPL")).plainText, /Alerts need a Craveny account/);

  const user = await createTestUser({ db: t.db });
  const { code } = await createLinkCode(sql, user.id);
  const linked = await say(tg, CHAT, `/start ${code}`);
  assert.match(linked.plainText, /This chat is now linked to/);
  assert.ok(linked.plainText.includes(`${user.email[0]}…@example.com`), linked.plainText);
  assert.ok(!linked.plainText.includes(user.email), "the full email is never shown in a chat");
  const [account] = await sql`
    select telegram_chat_id, telegram_linked_at from app_user where id = ${user.id}`;
  assert.equal(account.telegram_chat_id, CHAT);
  assert.ok(account.telegram_linked_at instanceof Date);

  assert.match((await say(tg, CHAT + 1, `/start ${code}`)).plainText, /already used/);
  const stale = await createLinkCode(
    sql,
    user.id,
    new Date(Date.now() - (LINK_CODE_TTL_MINUTES + 1) * 60_000),
  );
  assert.match((await say(tg, CHAT + 1, `/start ${stale.code}`)).plainText, /has expired/);
  assert.match((await say(tg, CHAT + 1, "/start NOTACODE")).plainText, /don't know that link code/);
  const [other] = await sql`select count(*) as n from app_user where telegram_chat_id = ${
    CHAT + 1
  }`;
  assert.equal(other.n, 0);
  assert.match((await say(tg, CHAT, "/start")).plainText, /This chat is linked to/);
});

Deno.test("polling: subscribe, list, remove by button and unsubscribe round trip", async () => {
  await using t = await setUp();
  const { tg, sql } = t;
  const user = await createTestUser({ db: t.db });
  await say(tg, CHAT, `/start ${(await createLinkCode(sql, user.id)).code}`);

  assert.match(
    (await say(tg, CHAT, "/subscribe AAPL 80%")).plainText,
    /Rule added: AAPL: a call at 80% or more/,
  );
  assert.match(
    (await say(tg, CHAT, "/subscribe AAPL 0.9 daily")).plainText,
    /Rule updated: AAPL: a call at 90% or more, at most once a day/,
  );
  assert.match(
    (await say(tg, CHAT, "/subscribe MSFT consensus 2 digest until 2099-01-01")).plainText,
    /too far|at most/,
    "an expiry beyond two years is refused",
  );
  await say(tg, CHAT, "/subscribe MSFT consensus 2 digest");
  await say(tg, CHAT, "/subscribe NVDA flip by momentum once");
  await say(tg, CHAT, '/subscribe "Mean Reversion" winrate 45%');
  assert.match(
    (await say(tg, CHAT, "/subscribe NOPE")).plainText,
    /stock: no stock NOPE is followed here/,
  );
  assert.match(
    (await say(tg, CHAT, "/subscribe AAPL by nobody")).plainText,
    /model: no model named "nobody"/,
  );

  const rows = await sql<{ rule: string; symbol: string | null; model: string | null }[]>`
    select a.rule, s.symbol, m.name as model, a.min_confidence, a.frequency, a.digest, a.min_models,
      a.win_rate_below, a.user_id
    from alert_subscription a left join stock s on s.id = a.stock_id
    left join model m on m.id = a.model_id
    where a.chat_id = ${CHAT} and a.active order by a.id`;
  assert.deepEqual(rows.map((row) => ({ ...row })), [
    {
      rule: "strong",
      symbol: "AAPL",
      model: null,
      min_confidence: 0.9,
      frequency: "daily",
      digest: false,
      min_models: null,
      win_rate_below: null,
      user_id: user.id,
    },
    {
      rule: "consensus",
      symbol: "MSFT",
      model: null,
      min_confidence: 0,
      frequency: "every",
      digest: true,
      min_models: 2,
      win_rate_below: null,
      user_id: user.id,
    },
    {
      rule: "flip",
      symbol: "NVDA",
      model: "momentum",
      min_confidence: 0,
      frequency: "once",
      digest: false,
      min_models: null,
      win_rate_below: null,
      user_id: user.id,
    },
    {
      rule: "win_rate",
      symbol: null,
      model: "Mean Reversion",
      min_confidence: 0,
      frequency: "every",
      digest: false,
      min_models: null,
      win_rate_below: 0.45,
      user_id: user.id,
    },
  ]);

  const list = await say(tg, CHAT, "/list");
  assert.match(list.plainText, /Your alert rules \(4\)/);
  assert.match(list.plainText, /1\. AAPL: a call at 90% or more/);
  assert.match(list.plainText, /4\. any stock: win rate falls below 45%, by Mean Reversion/);
  const keyboard =
    (list.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
  assert.equal(keyboard.length, 4);
  assert.equal(keyboard[0][0].text, "✖ Remove 1 (AAPL)");

  // Pressing "Remove 2" removes the MSFT consensus rule and edits the list in place.
  const before = tg.messagesTo(CHAT).length;
  tg.pushUpdate(callbackUpdate(CHAT, list.messageId, keyboard[1][0].callback_data));
  const edited = await nextMessage(tg, CHAT, before);
  assert.equal(edited.kind, "edit");
  assert.equal(edited.messageId, list.messageId);
  assert.match(edited.plainText, /Your alert rules \(3\)/);
  assert.doesNotMatch(edited.plainText, /MSFT/);
  assert.equal(tg.callbackAnswers.at(-1)?.text, "Rule removed.");

  // Forged and stale button data: nothing changes, the press is still answered.
  const [{ id: foreignId }] = await sql<{ id: number }[]>`
    insert into alert_subscription (chat_id, stock_id, rule)
    select ${CHAT + 7}, id, 'strong' from stock where symbol = 'KO' returning id`;
  for (
    const [data, answer] of [
      [`rm:${foreignId}:0`, "That rule was already removed."],
      ["rm:1; drop table alert_subscription:0", "This button has expired: send /list again."],
      ["<script>", "This button has expired: send /list again."],
    ]
  ) {
    const answers = tg.callbackAnswers.length;
    tg.pushUpdate(callbackUpdate(CHAT, list.messageId, data));
    await waitFor(() => tg.callbackAnswers.length > answers, `an answer to ${data}`);
    assert.equal(tg.callbackAnswers.at(-1)?.text, answer);
  }
  const [foreign] = await sql`select active from alert_subscription where id = ${foreignId}`;
  assert.equal(foreign.active, true);

  assert.match((await say(tg, CHAT, "/unsubscribe aapl")).plainText, /Removed 1 rule on AAPL/);
  assert.match(
    (await say(tg, CHAT, "/unsubscribe AAPL")).plainText,
    /No rule of this chat names AAPL/,
  );
  assert.match((await say(tg, CHAT, '/unsubscribe "mean reversion"')).plainText, /Removed 1 rule/);
  assert.match((await say(tg, CHAT, "/list")).plainText, /Your alert rules \(1\)\n1\. NVDA/);
  assert.match((await say(tg, CHAT, "/unsubscribe all")).plainText, /Removed 1 rule/);
  assert.match((await say(tg, CHAT, "/list")).plainText, /no alert rules/);
});

Deno.test("polling: /mute, /stop and /start again", async () => {
  await using t = await setUp();
  const { tg, sql } = t;
  const user = await createTestUser({ db: t.db });
  await say(tg, CHAT, `/start ${(await createLinkCode(sql, user.id)).code}`);
  await say(tg, CHAT, "/subscribe AAPL");

  assert.match((await say(tg, CHAT, "/mute 8")).plainText, /Alerts are held until .* UTC/);
  const [muted] = await sql<{ hours: number }[]>`
    select extract(epoch from muted_until - now()) / 3600 as hours from telegram_chat
    where chat_id = ${CHAT}`;
  assert.ok(muted.hours > 7.9 && muted.hours <= 8, String(muted.hours));
  assert.match((await say(tg, CHAT, "/mute 500")).plainText, /1–168 hours/);
  assert.match((await say(tg, CHAT, "/mute off")).plainText, /on again/);
  const [unmuted] = await sql`select muted_until from telegram_chat where chat_id = ${CHAT}`;
  assert.equal(unmuted.muted_until, null);

  assert.match(
    (await say(tg, CHAT, "/stop")).plainText,
    /No more alerts to this chat: 1 rule switched off/,
  );
  const [stopped] = await sql`
    select active, deactivated_reason from telegram_chat where chat_id = ${CHAT}`;
  assert.deepEqual({ ...stopped }, { active: false, deactivated_reason: "stopped" });
  // Other commands still work, and don't undo the stop.
  assert.match((await say(tg, CHAT, "/help")).plainText, /\/subscribe SYMBOL/);
  assert.match(
    (await say(tg, CHAT, "/subscribe MSFT")).plainText,
    /This chat is stopped: send \/start/,
  );
  const again = await say(tg, CHAT, "/start");
  assert.match(again.plainText, /Alerts to this chat are on again/);
  const [restarted] = await sql`select active from telegram_chat where chat_id = ${CHAT}`;
  assert.equal(restarted.active, true);
});

Deno.test("polling: /top, /models and /stock answer from the stored data, linked or not", async () => {
  await using t = await setUp();
  const { tg } = t;
  const top = await say(tg, CHAT, "/top");
  assert.match(top.plainText, /Today's strongest signals, from models that have earned trust/);
  // Trusted momentum only, most confident first; Mean Reversion is not trusted.
  assert.match(
    top.plainText,
    /AAPL · ▲ up · 82% · 5 trading days · momentum · 2025-03-07\nMSFT · ▼ down · 64%/,
  );
  assert.doesNotMatch(top.plainText, /Mean Reversion/);
  assert.ok(top.text.includes('<a href="https://craveny.test/stocks/AAPL">AAPL</a>'), top.text);

  const models = await say(tg, CHAT, "/models");
  assert.match(models.plainText, /Model leaderboard — live clean predictions/);
  assert.match(
    models.plainText,
    /1\. momentum: win rate 75% \(95% CI 60%–86%, n = 40\) · ✓ trusted/,
  );
  assert.match(models.plainText, /2\. Mean Reversion: win rate 46% \(95% CI 30%–62%, n = 35\)$/m);

  const stock = await say(tg, CHAT, "/stock aapl");
  assert.match(stock.plainText, /^AAPL · Apple/);
  assert.match(stock.plainText, /Last close 2025-03-07: 203\.00 USD \(\+1\.50% on the day\)/);
  assert.match(stock.plainText, /▼ down · 91% · 5 trading days · Mean Reversion · 2025-03-07/);
  assert.match(stock.plainText, /▲ up · 82% · 5 trading days · momentum · 2025-03-07/);
  assert.match((await say(tg, CHAT, "/stock NOPE")).plainText, /I don't follow NOPE/);
  assert.match((await say(tg, CHAT, "/stock")).plainText, /Send \/stock SYMBOL/);

  assert.match((await say(tg, CHAT, "/frobnicate now")).plainText, /I don't know \/frobnicate/);
  assert.match((await say(tg, CHAT, "hello?")).plainText, /Send \/help/);
  assert.match((await say(tg, CHAT, "/help subscribe")).plainText, /consensus 3/);
});

Deno.test("polling: hostile arguments are refused or shown escaped, never run", async () => {
  await using t = await setUp();
  const { tg, sql } = t;
  const user = await createTestUser({ db: t.db });
  await say(tg, CHAT, `/start ${(await createLinkCode(sql, user.id)).code}`);

  const script = await say(tg, CHAT, "/subscribe <script>alert(1)</script>");
  assert.match(script.plainText, /"<script>alert\(1\)<\/script>" is not a ticker symbol/);
  assert.ok(script.text.includes("&lt;script&gt;"), script.text);
  const tag = await say(tg, CHAT, "/subscribe AAPL <b>bold</b>");
  assert.match(tag.plainText, /I don't understand "<b>bold<\/b>"/);
  const sqlInjection = await say(tg, CHAT, "/unsubscribe '; drop table alert_subscription; --");
  assert.match(sqlInjection.plainText, /Send \/unsubscribe SYMBOL/);
  const quotedInjection = await say(tg, CHAT, `/unsubscribe "'; drop table stock; --"`);
  assert.match(quotedInjection.plainText, /No rule of this chat names "'; drop table stock; --"/);
  const long = await say(tg, CHAT, `/subscribe AAPL ${"9".repeat(5000)}`);
  assert.match(long.plainText, /arguments fit in 300/);
  const control = await say(tg, CHAT, "/subscribe AAPL\u0000 80%");
  assert.match(control.plainText, /control characters/);
  const ampersand = await say(tg, CHAT, '/subscribe "Mean & <Reversion>" winrate 40%');
  assert.match(ampersand.plainText, /model: no model named "Mean & <Reversion>"/);
  const stock = await say(tg, CHAT, "/stock AAPL&amp;");
  assert.match(stock.plainText, /"AAPL&amp;" is not a ticker symbol/);

  // Nothing was stored or dropped.
  const [{ stocks }] = await sql`select count(*) as stocks from stock`;
  assert.ok(stocks > 20);
  const [{ rules }] = await sql`select count(*) as rules from alert_subscription`;
  assert.equal(rules, 0);
  // Every answer parsed as Telegram HTML (the fake server refuses bad markup with 400).
  assert.ok(tg.calls.filter((c) => c.method === "sendMessage").every((c) => c.status === 200));
});

Deno.test("polling: updates with missing fields are skipped and polling goes on", async () => {
  await using t = await setUp();
  const { tg } = t;
  tg.pushUpdate({ message: { message_id: 1, date: 1, text: "/help" } });
  tg.pushUpdate({
    message: { message_id: 2, date: 1, chat: { id: "x", type: "private" }, text: "/help" },
  });
  tg.pushUpdate({ callback_query: { id: "q", data: "ls:0" } });
  tg.pushUpdate({ my_chat_member: { chat: { id: CHAT, type: "private" } } });
  tg.pushUpdate({ message: "not an object" });
  const broken = messageUpdate(CHAT, "/stock AAPL") as { message: Record<string, unknown> };
  broken.message.entities = "not a list";
  tg.pushUpdate(broken);
  assert.match((await say(tg, CHAT, "/help")).plainText, /\/top/);
  assert.equal(tg.messagesTo(CHAT).length, 1, "only the well-formed update got an answer");
  const skipped = t.app.context.logs.filter((line) => line.includes("telegram update skipped"));
  assert.equal(skipped.length, 6, skipped.join("\n"));
  assert.equal(t.app.context.logs.filter((line) => line.includes('"level":"error"')).length, 0);
});

Deno.test("polling: a chat that blocks the bot is deactivated until it writes again", async () => {
  await using t = await setUp();
  const { tg, sql } = t;
  await say(tg, CHAT, "/help");
  tg.pushUpdate({
    my_chat_member: {
      chat: { id: CHAT, type: "private", first_name: "Tess" },
      from: { id: CHAT, is_bot: false, first_name: "Tess" },
      date: 1,
      old_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "b" } },
      new_chat_member: {
        status: "kicked",
        until_date: 0,
        user: { id: 1, is_bot: true, first_name: "b" },
      },
    },
  });
  await waitFor(async () => {
    const [row] = await sql`select deactivated_reason from telegram_chat where chat_id = ${CHAT}`;
    return row.deactivated_reason === "blocked";
  }, "the chat to be deactivated");
  await say(tg, CHAT, "/help");
  const [row] = await sql`select active from telegram_chat where chat_id = ${CHAT}`;
  assert.equal(row.active, true);
});

Deno.test("polling: stop() ends polling and confirms the handled updates", async () => {
  await using t = await setUp();
  const { tg } = t;
  await say(tg, CHAT, "/help");
  await t.app.telegram.stop();
  // After the stop, the confirming getUpdates has taken the handled update off the queue.
  assert.equal(tg.pendingUpdates, 0);
  tg.pushUpdate(messageUpdate(CHAT, "/help"));
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Nobody polls any more: the new update stays queued, unanswered.
  assert.equal(tg.pendingUpdates, 1);
  assert.equal(tg.messagesTo(CHAT).length, 1);
});

Deno.test("polling: a burst of commands in one chat waits out Telegram's 429s", async () => {
  // Telegram's own limits here: at most one message per second to a chat.
  await using tg = startFakeTelegram();
  await using db = await openTestDatabase();
  await using app = await startBotApp({ db, config: botConfig(tg) });
  await app.telegram.ready;
  for (const command of ["/help", "/help subscribe", "/models"]) {
    tg.pushUpdate(messageUpdate(CHAT, command));
  }
  await waitFor(() => tg.messagesTo(CHAT).length === 3, "three answers", 15_000);
  const stats = tg.stats();
  assert.ok(stats.tooManyRequests >= 1, "the burst did run into the limit");
  assert.equal(stats.accepted.chat, 1);
  assert.equal(app.context.logs.filter((line) => line.includes('"level":"error"')).length, 0);
});
