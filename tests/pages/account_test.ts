// /account over real HTTP, with the real pages and the bot polling the fake Bot API server: the
// link code from the page links the chat in Telegram, rules are added (or refused per field) and
// removed, CSRF and sign-in are required, and the page is never cached.
import assert from "node:assert/strict";
import { ACCESS_COOKIE } from "../../lib/auth/cookies.ts";
import { startSession } from "../../lib/auth/sessions.ts";
import { loadConfig } from "../../lib/config.ts";
import { createTestUser } from "../support/auth.ts";
import { openTestDatabase } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { botConfig, say, seedMarket, startBotApp } from "../support/telegram.ts";
import { csrfOf, fieldErrors } from "./admin_forms.ts";

const CHAT = 9090;

Deno.test("account page: link code to linked chat, rules added, refused per field, removed", async () => {
  await using tg = startFakeTelegram({ limits: false });
  await using db = await openTestDatabase();
  await seedMarket(db.sql);
  const user = await createTestUser({ db });
  const other = await createTestUser({ db });
  await using app = await startBotApp({ db, config: botConfig(tg) }, { pages: true });
  await app.telegram.ready;
  const session = await startSession(app.context, user, { ip: "127.0.0.1", userAgent: null });
  const cookie = `${ACCESS_COOKIE}=${session.accessToken}`;
  const get = (path = "/account") =>
    fetch(`${app.url}${path}`, { headers: { cookie }, redirect: "manual" });
  const post = async (fields: Record<string, string>, csrf?: string) => {
    const token = csrf ?? csrfOf(await (await get()).text());
    return await fetch(`${app.url}/account`, {
      method: "POST",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: token, ...fields }),
      redirect: "manual",
    });
  };

  const anonymous = await fetch(`${app.url}/account`, { redirect: "manual" });
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.get("location") ?? "", /^\/login\?next=%2Faccount/);
  await anonymous.body?.cancel();
  const home = await (await fetch(`${app.url}/`)).text();
  assert.doesNotMatch(home, /href="\/account"/, "no account link for visitors");

  const first = await get();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("cache-control"), "no-store");
  const firstHtml = await first.text();
  assert.match(firstHtml, /<a href="\/account" aria-current="page">Account<\/a>/);
  assert.match(firstHtml, /No Telegram chat is linked yet/);
  assert.doesNotMatch(firstHtml, /Add a rule/, "rules need a linked chat");

  const forged = await post({ intent: "link-code" }, "not-the-token");
  assert.equal(forged.status, 403);
  await forged.body?.cancel();
  assert.equal((await db.sql`select count(*) as n from telegram_link_code`)[0].n, 0);

  const issued = await post({ intent: "link-code" });
  assert.equal(issued.status, 200);
  assert.equal(issued.headers.get("cache-control"), "no-store");
  const issuedHtml = await issued.text();
  const code = /Your link code: <code>([0-9A-Z]{12})<\/code>/.exec(issuedHtml)?.[1];
  assert.ok(code, issuedHtml);
  assert.ok(issuedHtml.includes(`href="https://t.me/craveny_test_bot?start=${code}"`), issuedHtml);
  assert.match(issuedHtml, /valid once until <time datetime="[^"]+">/);

  // The code as Telegram delivers it after the t.me link: /start CODE.
  assert.match((await say(tg, CHAT, `/start ${code}`)).plainText, /now linked/);
  const linkedHtml = await (await get()).text();
  assert.match(linkedHtml, /A Telegram chat is linked to this account since/);
  assert.match(linkedHtml, /No alert rules yet/);

  const added = await post({
    intent: "add-rule",
    rule: "strong",
    stock: "AAPL",
    model: "",
    direction: "up",
    min_confidence: "80%",
    min_models: "7",
    frequency: "daily",
    expires: "",
  });
  assert.equal(added.status, 303);
  assert.equal(added.headers.get("location"), "/account?flash=rule-added");
  await added.body?.cancel();
  const consensus = await post({
    intent: "add-rule",
    rule: "consensus",
    stock: "MSFT",
    min_models: "2",
    digest: "on",
  });
  assert.equal(consensus.headers.get("location"), "/account?flash=rule-added");
  await consensus.body?.cancel();
  const rows = await db.sql`
    select a.rule, s.symbol, a.direction, a.min_confidence, a.frequency, a.min_models, a.digest,
      a.chat_id, a.user_id
    from alert_subscription a join stock s on s.id = a.stock_id where a.active order by a.id`;
  assert.deepEqual(rows.map((row) => ({ ...row })), [
    {
      rule: "strong",
      symbol: "AAPL",
      direction: "up",
      min_confidence: 0.8,
      frequency: "daily",
      min_models: null,
      digest: false,
      chat_id: CHAT,
      user_id: user.id,
    },
    {
      rule: "consensus",
      symbol: "MSFT",
      direction: null,
      min_confidence: 0,
      frequency: "every",
      min_models: 2,
      digest: true,
      chat_id: CHAT,
      user_id: user.id,
    },
  ]);
  const listed = await (await get("/account?flash=rule-added")).text();
  assert.match(listed, /role="status">Rule added\./);
  assert.match(listed, /<td>AAPL: a call at 80% or more, up only, at most once a day<\/td>/);
  // The bot sees the same rules.
  assert.match((await say(tg, CHAT, "/list")).plainText, /Your alert rules \(2\)/);

  for (
    const [fields, field, message] of [
      [{ rule: "strong", stock: "NOPE" }, "stock", /no stock NOPE is followed here/],
      [{ rule: "strong", stock: "AAPL", min_confidence: "high" }, "min_confidence", /0\.8 or 80%/],
      [{ rule: "consensus", stock: "AAPL", min_models: "1" }, "min_models", /2–100/],
      [{ rule: "win_rate", win_rate_below: "45%" }, "model", /watches one model/],
      [{ rule: "strong", stock: "AAPL", expires: "2001-01-01" }, "expires", /has passed/],
      [
        { rule: "strong", model: "<script>x</script>" },
        "model",
        /no model named &quot;&lt;script>x&lt;\/script>/,
      ],
    ] as const
  ) {
    const refused = await post({ intent: "add-rule", ...fields });
    assert.equal(refused.status, 400, JSON.stringify(fields));
    const html = await refused.text();
    assert.match(fieldErrors(html, `rule-${field}`), message, JSON.stringify(fields));
    assert.doesNotMatch(html, /<script>x/);
  }

  const [aapl] = await db.sql<{ id: number }[]>`
    select a.id from alert_subscription a join stock s on s.id = a.stock_id
    where s.symbol = 'AAPL'`;
  const [foreign] = await db.sql<{ id: number }[]>`
    insert into alert_subscription (chat_id, user_id, rule) values (1, ${other.id}, 'strong')
    returning id`;
  const notMine = await post({ intent: "remove-rule", id: String(foreign.id) });
  assert.equal(notMine.headers.get("location"), "/account?flash=rule-gone");
  await notMine.body?.cancel();
  const removed = await post({ intent: "remove-rule", id: String(aapl.id) });
  assert.equal(removed.headers.get("location"), "/account?flash=rule-removed");
  await removed.body?.cancel();
  const active = await db.sql`select id from alert_subscription where active order by id`;
  assert.equal(active.length, 2);
  assert.ok(!active.some((row) => row.id === aapl.id));

  const unlinked = await post({ intent: "unlink" });
  assert.equal(unlinked.headers.get("location"), "/account?flash=unlinked");
  await unlinked.body?.cancel();
  assert.match(await (await get()).text(), /No Telegram chat is linked yet/);
  const [{ linked }] = await db.sql`
    select count(*) as linked from app_user where telegram_chat_id is not null`;
  assert.equal(linked, 0);
});

Deno.test("account page: without a bot token, linking is not offered", async () => {
  await using db = await openTestDatabase();
  const user = await createTestUser({ db });
  await using app = await startBotApp({ db, config: loadConfig({}) }, { pages: true });
  const session = await startSession(app.context, user, { ip: "127.0.0.1", userAgent: null });
  const response = await fetch(`${app.url}/account`, {
    headers: { cookie: `${ACCESS_COOKIE}=${session.accessToken}` },
  });
  const html = await response.text();
  assert.match(html, /Telegram alerts are not enabled on this server/);
  assert.doesNotMatch(html, /Link Telegram/);
});
