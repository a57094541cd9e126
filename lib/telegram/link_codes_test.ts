import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { recordChat, saveRule } from "../alerts/subscriptions.ts";
import { ruleRequest } from "../alerts/subscription_input.ts";
import { setAccountDisabled } from "../auth/accounts.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { seedDefaultUniverse } from "../stocks/universe.ts";
import { createTestUser, type TestUser } from "../../tests/support/auth.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import {
  accountOfChat,
  createLinkCode,
  LINK_CODE_LENGTH,
  LINK_CODE_TTL_MINUTES,
  linkedChat,
  normalizeLinkCode,
  redeemLinkCode,
  unlinkChat,
} from "./link_codes.ts";

async function withDb(run: (sql: Sql, newUser: () => Promise<TestUser>) => Promise<void>) {
  await using db = await openTestDatabase();
  await seedDefaultUniverse(db.sql);
  for (const chatId of [11, 12, 13]) {
    await recordChat(db.sql, { chatId, kind: "private", title: null });
  }
  await run(db.sql, () => createTestUser({ db }));
}

async function activeRules(sql: Sql, chatId: number): Promise<string[]> {
  const rows = await sql<{ symbol: string; user_id: number }[]>`
    select s.symbol, a.user_id from alert_subscription a join stock s on s.id = a.stock_id
    where a.chat_id = ${chatId} and a.active order by s.symbol`;
  return rows.map((row) => `${row.symbol}:${row.user_id}`);
}

Deno.test("codes are typable: case, spaces and dashes don't matter; anything else is no code", () => {
  assert.equal(normalizeLinkCode("abcd-efgh-jk01"), "ABCDEFGHJK01");
  assert.equal(normalizeLinkCode(" ABCD EFGH JK01 "), "ABCDEFGHJK01");
  assert.equal(normalizeLinkCode("ABCDEFGHJK0"), null);
  assert.equal(normalizeLinkCode("ABCDEFGHJK0U"), null, "U is not in the alphabet");
  assert.equal(normalizeLinkCode("<script>x</s"), null);
  assert.equal(normalizeLinkCode("'; drop tabl"), null);
  assert.equal(normalizeLinkCode("A".repeat(5000)), null);
});

Deno.test("a code is random, stored only as its hash, and replaces the account's unused one", async () => {
  await withDb(async (sql, newUser) => {
    const user = await newUser();
    const now = new Date();
    const first = await createLinkCode(sql, user.id, now);
    const second = await createLinkCode(sql, user.id, now);
    assert.equal(first.code.length, LINK_CODE_LENGTH);
    assert.equal(normalizeLinkCode(first.code), first.code);
    assert.notEqual(first.code, second.code);
    assert.equal(second.expiresAt.getTime() - now.getTime(), LINK_CODE_TTL_MINUTES * 60_000);
    const rows = await sql<{ code_hash: string }[]>`select code_hash from telegram_link_code`;
    assert.deepEqual(rows.map((row) => row.code_hash), [await sha256Hex(second.code)]);
    assert.deepEqual(await redeemLinkCode(sql, first.code, 11), { status: "unknown" });
  });
});

Deno.test("/start CODE links once; a reused, expired or unknown code says which", async () => {
  await withDb(async (sql, newUser) => {
    const user = await newUser();
    const { code } = await createLinkCode(sql, user.id);
    const linked = await redeemLinkCode(sql, code.toLowerCase(), 11);
    assert.deepEqual(linked, {
      status: "linked",
      userId: user.id,
      email: user.email,
      tookOverFromOtherAccount: false,
      movedFromOtherChat: false,
      rulesMoved: 0,
    });
    assert.equal((await linkedChat(sql, user.id))?.chatId, 11);
    assert.deepEqual(await accountOfChat(sql, 11), { userId: user.id, email: user.email });
    assert.deepEqual(await redeemLinkCode(sql, code, 11), { status: "used" });
    assert.deepEqual(await redeemLinkCode(sql, code, 12), { status: "used" });
    assert.equal((await linkedChat(sql, user.id))?.chatId, 11);

    const issuedAt = new Date(Date.now() - (LINK_CODE_TTL_MINUTES + 1) * 60_000);
    const stale = await createLinkCode(sql, user.id, issuedAt);
    assert.deepEqual(await redeemLinkCode(sql, stale.code, 12), { status: "expired" });
    assert.deepEqual(await redeemLinkCode(sql, "ZZZZZZZZZZZZ", 12), { status: "unknown" });
    assert.deepEqual(await redeemLinkCode(sql, "not a code", 12), { status: "unknown" });

    const again = await createLinkCode(sql, user.id);
    assert.deepEqual(await redeemLinkCode(sql, again.code, 11), {
      status: "already_linked",
      userId: user.id,
      email: user.email,
    });
  });
});

Deno.test("two chats racing with one code: exactly one is linked", async () => {
  await withDb(async (sql, newUser) => {
    const user = await newUser();
    const { code } = await createLinkCode(sql, user.id);
    const results = await Promise.all([
      redeemLinkCode(sql, code, 11),
      redeemLinkCode(sql, code, 12),
      redeemLinkCode(sql, code, 13),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["linked", "used", "used"]);
    const [{ count }] = await sql`
      select count(*) as count from app_user where telegram_chat_id is not null`;
    assert.equal(count, 1);
  });
});

Deno.test("a chat linked to another account is re-linked to the code's owner only", async () => {
  await withDb(async (sql, newUser) => {
    const alice = await newUser();
    const bob = await newUser();
    assert.equal(
      (await redeemLinkCode(sql, (await createLinkCode(sql, alice.id)).code, 11)).status,
      "linked",
    );
    await saveRule(
      sql,
      { chatId: 11, userId: alice.id },
      ruleRequest("strong", { symbol: "AAPL" }),
    );

    const taken = await redeemLinkCode(sql, (await createLinkCode(sql, bob.id)).code, 11);
    assert.equal(taken.status, "linked");
    assert.equal(taken.status === "linked" && taken.tookOverFromOtherAccount, true);
    assert.equal(await linkedChat(sql, alice.id), null);
    assert.equal((await linkedChat(sql, bob.id))?.chatId, 11);
    assert.deepEqual(await activeRules(sql, 11), [], "alice's rules ended with her link");
  });
});

Deno.test("an account moving to another chat brings its rules; duplicates are switched off", async () => {
  await withDb(async (sql, newUser) => {
    const user = await newUser();
    await redeemLinkCode(sql, (await createLinkCode(sql, user.id)).code, 11);
    const owner = { chatId: 11, userId: user.id };
    await saveRule(sql, owner, ruleRequest("strong", { symbol: "AAPL" }));
    await saveRule(sql, owner, ruleRequest("strong", { symbol: "MSFT" }));
    // Chat 12 already has an AAPL rule of the same key (made before it was linked to anyone).
    await sql`
      insert into alert_subscription (chat_id, stock_id, rule)
      select 12, id, 'strong' from stock where symbol = 'AAPL'`;

    const moved = await redeemLinkCode(sql, (await createLinkCode(sql, user.id)).code, 12);
    assert.equal(moved.status, "linked");
    assert.equal(moved.status === "linked" && moved.movedFromOtherChat, true);
    assert.equal(moved.status === "linked" && moved.rulesMoved, 1);
    assert.deepEqual(await activeRules(sql, 11), []);
    assert.deepEqual(await activeRules(sql, 12), ["AAPL:null", `MSFT:${user.id}`]);
  });
});

Deno.test("a disabled account's code links nothing; unlinking switches its rules off", async () => {
  await withDb(async (sql, newUser) => {
    const user = await newUser();
    const { code } = await createLinkCode(sql, user.id);
    await setAccountDisabled(sql, user.id, true);
    assert.deepEqual(await redeemLinkCode(sql, code, 11), { status: "account_disabled" });
    assert.equal(await linkedChat(sql, user.id), null);
    await setAccountDisabled(sql, user.id, false);
    assert.deepEqual(await redeemLinkCode(sql, code, 11), { status: "used" });

    await redeemLinkCode(sql, (await createLinkCode(sql, user.id)).code, 11);
    await saveRule(sql, { chatId: 11, userId: user.id }, ruleRequest("strong", { symbol: "KO" }));
    assert.equal(await unlinkChat(sql, user.id), true);
    assert.equal(await unlinkChat(sql, user.id), false);
    assert.equal(await linkedChat(sql, user.id), null);
    assert.deepEqual(await activeRules(sql, 11), []);
  });
});
