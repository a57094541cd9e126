import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { seedDefaultUniverse } from "../stocks/universe.ts";
import { createTestUser } from "../../tests/support/auth.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { addTestModels } from "../../tests/support/predictions.ts";
import { RuleInvalid, ruleRequest } from "./subscription_input.ts";
import {
  getChat,
  listRules,
  MAX_RULES_PER_CHAT,
  muteChat,
  recordChat,
  removeRule,
  removeRulesNaming,
  restartChat,
  saveRule,
  stopChat,
} from "./subscriptions.ts";

const CHAT = 5001;
const OTHER_CHAT = 5002;

async function world(run: (sql: Sql, userId: number) => Promise<void>) {
  await using db = await openTestDatabase();
  await seedDefaultUniverse(db.sql);
  await addTestModels(db.sql, [{ name: "momentum" }, { name: "Mean Reversion" }, {
    name: "retired",
  }]);
  await db.sql`update model set active = false where name = 'retired'`;
  await db.sql`update stock set active = false where symbol = 'INTC'`;
  const user = await createTestUser({ db });
  await recordChat(db.sql, { chatId: CHAT, kind: "private", title: "@investor" });
  await recordChat(db.sql, { chatId: OTHER_CHAT, kind: "private", title: null });
  await run(db.sql, user.id);
}

async function invalidField(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof RuleInvalid, String(error));
    return error.field;
  }
  assert.fail("expected RuleInvalid");
}

Deno.test("a chat is recorded, re-titled, and comes back from a block but not from /stop", async () => {
  await world(async (sql, userId) => {
    const seen = await recordChat(sql, {
      chatId: -100123,
      kind: "supergroup",
      title: "  Desk\u0000 talk\n" + "x".repeat(300),
    });
    assert.equal(seen.kind, "supergroup");
    assert.equal(seen.title?.startsWith("Desk  talk"), true);
    assert.equal([...(seen.title ?? "")].length, 128);
    assert.equal(seen.active, true);

    // The alerts job found the bot blocked; a new message proves it is reachable again.
    await sql`
      update telegram_chat set active = false, deactivated_reason = 'blocked',
        deactivated_at = now() where chat_id = ${CHAT}`;
    const back = await recordChat(sql, { chatId: CHAT, kind: "private", title: "@renamed" });
    assert.equal(back.active, true);
    assert.equal(back.deactivatedReason, null);
    assert.equal(back.title, "@renamed");

    await saveRule(sql, { chatId: CHAT, userId }, ruleRequest("strong", { symbol: "AAPL" }));
    await saveRule(sql, { chatId: CHAT, userId }, ruleRequest("flip", { symbol: "MSFT" }));
    assert.equal(await stopChat(sql, CHAT), 2);
    assert.equal(await stopChat(sql, CHAT), 0);
    const stopped = await recordChat(sql, { chatId: CHAT, kind: "private", title: "@renamed" });
    assert.equal(stopped.active, false);
    assert.equal(stopped.deactivatedReason, "stopped");
    assert.deepEqual(await listRules(sql, { chatId: CHAT }), []);

    assert.deepEqual(await restartChat(sql, { chatId: CHAT, kind: "private", title: null }), {
      wasStopped: true,
    });
    const restarted = await getChat(sql, CHAT);
    assert.equal(restarted?.active, true);
    assert.equal(restarted?.deactivatedReason, null);
    assert.deepEqual(await restartChat(sql, { chatId: 777, kind: "private", title: null }), {
      wasStopped: false,
    });
    assert.equal((await getChat(sql, 777))?.active, true);
  });
});

Deno.test("muting sets and clears muted_until", async () => {
  await world(async (sql) => {
    const until = new Date(Date.now() + 3 * 3_600_000);
    assert.equal(await muteChat(sql, CHAT, until), true);
    assert.equal((await getChat(sql, CHAT))?.mutedUntil?.getTime(), until.getTime());
    assert.equal(await muteChat(sql, CHAT, null), true);
    assert.equal((await getChat(sql, CHAT))?.mutedUntil, null);
    assert.equal(await muteChat(sql, 999_999, until), false);
  });
});

Deno.test("rules are stored with the columns of their kind and replaced on the same key", async () => {
  await world(async (sql, userId) => {
    const owner = { chatId: CHAT, userId };
    const first = await saveRule(
      sql,
      owner,
      ruleRequest("strong", { symbol: "aapl", minConfidence: 0.8 }),
    );
    assert.equal(first.replaced, false);
    assert.equal(first.subscription.symbol, "AAPL");
    assert.equal(first.subscription.minConfidence, 0.8);
    const again = await saveRule(
      sql,
      owner,
      ruleRequest("strong", { symbol: "AAPL", minConfidence: 0.9, frequency: "daily" }),
    );
    assert.equal(again.replaced, true);
    assert.equal(again.subscription.id, first.subscription.id);
    assert.equal(again.subscription.minConfidence, 0.9);
    assert.equal(again.subscription.frequency, "daily");
    // Another direction is another rule.
    const up = await saveRule(
      sql,
      owner,
      ruleRequest("strong", { symbol: "AAPL", direction: "up" }),
    );
    assert.notEqual(up.subscription.id, first.subscription.id);

    const consensus = await saveRule(
      sql,
      owner,
      ruleRequest("consensus", { symbol: "MSFT", minModels: 3, digest: true }),
    );
    const winRate = await saveRule(
      sql,
      owner,
      ruleRequest("win_rate", { model: "mean reversion", winRateBelow: 0.45 }),
    );
    assert.equal(winRate.subscription.model, "Mean Reversion");
    const [stored] = await sql`
      select a.rule, a.min_models, a.win_rate_below, a.digest, a.user_id, a.min_confidence,
        s.symbol
      from alert_subscription a join stock s on s.id = a.stock_id
      where a.id = ${consensus.subscription.id}`;
    assert.deepEqual(
      { ...stored },
      {
        rule: "consensus",
        min_models: 3,
        win_rate_below: null,
        digest: true,
        user_id: userId,
        min_confidence: 0,
        symbol: "MSFT",
      },
    );
    const listed = await listRules(sql, { chatId: CHAT });
    assert.deepEqual(
      listed.map((s) => s.id),
      [
        first.subscription.id,
        up.subscription.id,
        consensus.subscription.id,
        winRate.subscription.id,
      ],
    );
    assert.deepEqual((await listRules(sql, { userId })).map((s) => s.id), listed.map((s) => s.id));
    assert.deepEqual(await listRules(sql, { chatId: OTHER_CHAT }), []);
  });
});

Deno.test("unknown or retired stocks and models are refused naming the field", async () => {
  await world(async (sql, userId) => {
    const owner = { chatId: CHAT, userId };
    assert.equal(
      await invalidField(saveRule(sql, owner, ruleRequest("strong", { symbol: "NOPE" }))),
      "stock",
    );
    assert.equal(
      await invalidField(saveRule(sql, owner, ruleRequest("strong", { symbol: "INTC" }))),
      "stock",
    );
    assert.equal(
      await invalidField(saveRule(sql, owner, ruleRequest("strong", { model: "nobody" }))),
      "model",
    );
    assert.equal(
      await invalidField(saveRule(sql, owner, ruleRequest("strong", { model: "retired" }))),
      "model",
    );
    assert.equal(
      await invalidField(
        saveRule(
          sql,
          owner,
          ruleRequest("strong", { model: "'; drop table alert_subscription;--" }),
        ),
      ),
      "model",
    );
    const [{ count }] = await sql`select count(*) as count from alert_subscription`;
    assert.equal(count, 0);
  });
});

Deno.test("a chat holds at most MAX_RULES_PER_CHAT rules in force", async () => {
  await world(async (sql, userId) => {
    const owner = { chatId: CHAT, userId };
    const confidences = Array.from({ length: MAX_RULES_PER_CHAT }, (_, i) => i);
    // Distinct keys: stock × direction × rule on the seeded universe.
    const symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "XOM", "JNJ"];
    const directions = [null, "up", "down", "flat", null] as const;
    for (const i of confidences) {
      const symbol = symbols[i % symbols.length];
      const direction = directions[Math.floor(i / symbols.length)];
      const rule = Math.floor(i / symbols.length) === 4 ? "flip" : "strong";
      await saveRule(sql, owner, ruleRequest(rule, { symbol, direction }));
    }
    assert.equal((await listRules(sql, owner)).length, MAX_RULES_PER_CHAT);
    assert.equal(
      await invalidField(saveRule(sql, owner, ruleRequest("strong", { symbol: "KO" }))),
      "rule",
    );
    // Replacing one in force is still allowed at the limit.
    const replaced = await saveRule(
      sql,
      owner,
      ruleRequest("strong", { symbol: "AAPL", minConfidence: 0.95 }),
    );
    assert.equal(replaced.replaced, true);
  });
});

Deno.test("rules are removed one by one, by what they name, and only by their owner", async () => {
  await world(async (sql, userId) => {
    const owner = { chatId: CHAT, userId };
    const aapl = await saveRule(sql, owner, ruleRequest("strong", { symbol: "AAPL" }));
    await saveRule(sql, owner, ruleRequest("flip", { symbol: "AAPL" }));
    await saveRule(sql, owner, ruleRequest("win_rate", { model: "momentum", winRateBelow: 0.5 }));
    await saveRule(sql, owner, ruleRequest("strong", { minConfidence: 0.95 }));
    const msft = await saveRule(sql, owner, ruleRequest("strong", { symbol: "MSFT" }));

    assert.equal(await removeRule(sql, { chatId: OTHER_CHAT }, aapl.subscription.id), false);
    assert.equal(await removeRule(sql, { userId: userId + 1 }, aapl.subscription.id), false);
    assert.equal(await removeRule(sql, { chatId: CHAT }, aapl.subscription.id), true);
    assert.equal(await removeRule(sql, { chatId: CHAT }, aapl.subscription.id), false);
    assert.equal(await removeRulesNaming(sql, CHAT, { kind: "stock", symbol: "AAPL" }), 1);
    assert.equal(await removeRulesNaming(sql, CHAT, { kind: "model", name: "MOMENTUM" }), 1);
    assert.equal(await removeRulesNaming(sql, CHAT, { kind: "any_stock" }), 1);
    assert.deepEqual((await listRules(sql, owner)).map((s) => s.id), [msft.subscription.id]);
    assert.equal(await removeRulesNaming(sql, OTHER_CHAT, { kind: "all" }), 0);
    assert.equal(await removeRulesNaming(sql, CHAT, { kind: "all" }), 1);

    // A removed rule is kept, switched off, and subscribing again re-arms the same row.
    const back = await saveRule(sql, owner, ruleRequest("strong", { symbol: "AAPL" }));
    assert.equal(back.subscription.id, aapl.subscription.id);
    assert.equal(back.replaced, false);
    assert.equal(back.subscription.active, true);
  });
});

Deno.test("an expired rule is no longer listed or removable", async () => {
  await world(async (sql, userId) => {
    const saved = await saveRule(
      sql,
      { chatId: CHAT, userId },
      ruleRequest("strong", { symbol: "KO" }),
    );
    await sql`
      update alert_subscription set expires_at = now() - interval '1 minute'
      where id = ${saved.subscription.id}`;
    assert.deepEqual(await listRules(sql, { chatId: CHAT }), []);
    assert.equal(await removeRule(sql, { chatId: CHAT }, saved.subscription.id), false);
  });
});
