// Time to drain 10,000 alerts to 1,000 chats (100 of them groups, 30 alerts each; the other 7,000
// alerts spread over 900 private chats) against the local Bot API server, which enforces the
// limits, as a ratio to the theoretical minimum those limits allow: the shortest span in which
// the messages fit when no window ever holds more than its limit, the larger of
//   overall:           floor((messages - 1) / global.count) × global.window
//   busiest chat:      floor((its messages - 1) / chat.count) × chat.window
//   busiest group:     floor((its messages - 1) / group.count) × group.window.
// Settings: "telegram" (Telegram's limits: 30/s overall, 1/s per chat, 20/min per group; about
// 5.5 minutes at best) and "scaled" (500/s, 10/s per chat, 5 per 2 s per group).
//   deno run -A bench/alerts_drain.ts [--limits scaled|telegram|both]
// The database is DATABASE_URL's server when set (a fresh database, dropped afterwards), else
// embedded PGlite in a temporary directory.
import { parseArgs } from "node:util";
import { DRAIN_DEFAULTS, drainOutbox } from "../lib/alerts/dispatch.ts";
import { DEFAULT_RETRY, limitsFromConfig, type SendLimits } from "../lib/alerts/rate_limiter.ts";
import { TelegramAlertSender } from "../lib/alerts/sender.ts";
import { createLogger } from "../lib/log.ts";
import {
  chatIds,
  deliveriesByKey,
  insertAlerts,
  insertChats,
  spreadAlerts,
} from "../tests/support/alerts_fixtures.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { startFakeTelegram } from "../tests/support/fake_telegram.ts";

const ALERTS = 10_000;
const CHATS = 1_000;
const GROUPS = 100;
const PER_GROUP = 30;

const SETTINGS: Record<string, SendLimits> = {
  telegram: limitsFromConfig({ globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20 }),
  scaled: {
    global: { count: 500, windowMs: 1000 },
    chat: { count: 10, windowMs: 1000 },
    group: { count: 5, windowMs: 2000 },
  },
};

const { values: flags } = parseArgs({ args: Deno.args, options: { limits: { type: "string" } } });
const chosen = flags.limits ?? "scaled";
const names = chosen === "both" ? ["scaled", "telegram"] : [chosen];
if (!names.every((name) => name in SETTINGS)) {
  console.error("usage: deno run -A bench/alerts_drain.ts [--limits scaled|telegram|both]");
  Deno.exit(2);
}

/** The theoretical minimum drain time (ms) of `perChat` messages per chat under `limits`. */
function minimumMs(limits: SendLimits, perChat: Map<number, number>): number {
  const span = (n: number, limit: { count: number; windowMs: number }) =>
    Math.floor(Math.max(0, n - 1) / limit.count) * limit.windowMs;
  const total = [...perChat.values()].reduce((a, b) => a + b, 0);
  let bound = span(total, limits.global);
  for (const [chatId, n] of perChat) {
    bound = Math.max(bound, span(n, limits.chat));
    if (chatId < 0) bound = Math.max(bound, span(n, limits.group));
  }
  return bound;
}

function describe(limits: SendLimits): string {
  const one = (l: { count: number; windowMs: number }) => `${l.count}/${l.windowMs / 1000} s`;
  return `overall ${one(limits.global)}, per chat ${one(limits.chat)}, per group ${
    one(limits.group)
  }`;
}

async function run(name: string) {
  const limits = SETTINGS[name];
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits });
  const specs = spreadAlerts(ALERTS, CHATS, GROUPS, PER_GROUP);
  await insertChats(db.sql, chatIds(CHATS, GROUPS));
  await insertAlerts(db.sql, specs);
  const perChat = new Map<number, number>();
  for (const { chatId } of specs) perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);

  const started = performance.now();
  const counts = await drainOutbox(
    db.sql,
    new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot }),
    {
      ...DRAIN_DEFAULTS,
      limits,
      policy: { cooldownMinutes: 60, maxAgeHours: 24, digestHourUtc: 22 },
      retry: DEFAULT_RETRY,
      publicUrl: "https://craveny.example",
      signal: new AbortController().signal,
      log: createLogger("warn"),
    },
  );
  const elapsed = performance.now() - started;
  const minimum = minimumMs(limits, perChat);
  const delivered = deliveriesByKey(tg.messages);
  const stats = tg.stats();
  const once = delivered.size === ALERTS && [...delivered.values()].every((n) => n === 1);
  console.log(
    [
      `${name} limits (${
        describe(limits)
      }), ${db.kind} database, concurrency ${DRAIN_DEFAULTS.concurrency}:`,
      `  drained ${counts.sent} alerts in ${counts.messages} messages in ${
        (elapsed / 1000).toFixed(1)
      } s`,
      `  theoretical minimum ${(minimum / 1000).toFixed(1)} s → ratio ${
        (elapsed / minimum).toFixed(3)
      }`,
      `  every alert delivered exactly once: ${once}; 429s: ${stats.tooManyRequests}`,
      `  busiest windows seen: overall ${stats.attempted.global}, chat ${stats.attempted.chat}, group ${stats.attempted.group}`,
    ].join("\n"),
  );
}

for (const name of names) await run(name);
