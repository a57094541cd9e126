// Driving the bot in tests: updates as Telegram sends them, waiting for the bot's answers on the
// fake Bot API server (fake_telegram.ts), the app with its bot on a real port, and a small seeded
// market for /top, /models and /stock.
import type { Sql } from "postgres";
import manifest from "../../fresh.gen.ts";
import { createApp } from "../../lib/app.ts";
import { loadConfig } from "../../lib/config.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import type { AppContext } from "../../lib/context.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { Registry } from "../../lib/metrics.ts";
import { getStock } from "../../lib/stocks/store.ts";
import { seedDefaultUniverse } from "../../lib/stocks/universe.ts";
import { startTelegram, type TelegramRuntime } from "../../lib/telegram/runtime.ts";
import { plainPages } from "./app.ts";
import { openTestContext, type TestContext } from "./context.ts";
import { addTestSnapshots, testSummary } from "./evaluations.ts";
import type { DeliveredMessage, FakeTelegram } from "./fake_telegram.ts";
import { addTestModels, addTestPredictions } from "./predictions.ts";

let nextMessageId = 1_000;

/** A private chat's message as Telegram sends it; a leading /command gets its entity. */
export function messageUpdate(
  chatId: number,
  text: string,
  chat: Record<string, unknown> = { type: "private", first_name: "Tess" },
): Record<string, unknown> {
  const command = /^\/\S+/.exec(text);
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, ...chat },
      from: { id: Math.abs(chatId), is_bot: false, first_name: "Tess" },
      text,
      ...(command
        ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
        : {}),
    },
  };
}

/** A press on an inline button of the bot's message `messageId` in a private chat. */
export function callbackUpdate(
  chatId: number,
  messageId: number,
  data: string,
): Record<string, unknown> {
  return {
    callback_query: {
      id: `cb-${crypto.randomUUID()}`,
      from: { id: chatId, is_bot: false, first_name: "Tess" },
      chat_instance: "1",
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private", first_name: "Tess" },
        text: "…",
      },
    },
  };
}

/** Waits until `check` returns a value (not undefined/false); fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The next message the bot sends or edits in `chatId` after the first `seen` ones. */
export function nextMessage(
  tg: FakeTelegram,
  chatId: number,
  seen: number,
): Promise<DeliveredMessage> {
  return waitFor(() => tg.messagesTo(chatId)[seen], `message ${seen + 1} to chat ${chatId}`);
}

/** Sends `text` from a private chat and returns the bot's answer. */
export function say(tg: FakeTelegram, chatId: number, text: string): Promise<DeliveredMessage> {
  const seen = tg.messagesTo(chatId).length;
  tg.pushUpdate(messageUpdate(chatId, text));
  return nextMessage(tg, chatId, seen);
}

/** Config with the bot pointed at the fake server. */
export function botConfig(
  tg: FakeTelegram,
  env: Record<string, string> = {},
): ReturnType<typeof loadConfig> {
  return loadConfig({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    PUBLIC_URL: "https://craveny.test",
    ...env,
  });
}

export interface TestBotApp extends AsyncDisposable {
  url: string;
  context: TestContext;
  telegram: TelegramRuntime;
  close(): Promise<void>;
}

/**
 * The app with its bot, served on a loopback port (the Telegram runtime as main.ts wires it);
 * with `pages`, the real pages (routes/) instead of plain placeholders.
 */
export async function startBotApp(
  given: Partial<AppContext>,
  options: { pages?: boolean } = {},
): Promise<TestBotApp> {
  const context = await openTestContext(given);
  const pages = options.pages
    ? await createFreshHandler(manifest, { log: createLogger("error", () => {}) })
    : null;
  const telegram = startTelegram(context, { retryMs: 50, maxRetryMs: 200 });
  const app = createApp({ ...context, telegram }, pages ?? plainPages, new Registry());
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      await telegram.stop();
      await server.shutdown();
      await pages?.close();
      await context.close();
    })();
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    context,
    telegram,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The latest live day the seeded predictions are made as of. */
export const SEEDED_AS_OF = "2025-03-07T21:00:00Z";

/**
 * The default universe, two models with a live record (momentum trusted: 40 scored, 75% wins;
 * "Mean Reversion" not), their latest live calls on AAPL and MSFT, and two AAPL closes.
 */
export async function seedMarket(sql: Sql): Promise<void> {
  await seedDefaultUniverse(sql);
  await addTestModels(sql, [{ name: "momentum" }, { name: "Mean Reversion" }]);
  await addTestSnapshots(sql, [
    {
      model: "momentum",
      metrics: testSummary({
        n: 40,
        wins: 30,
        losses: 10,
        winRate: { value: 0.75, low: 0.6, high: 0.86 },
        meanStrategyReturn: 0.01,
        excessVsBuyAndHold: 0.004,
      }),
    },
    {
      model: "Mean Reversion",
      metrics: testSummary({
        n: 35,
        wins: 16,
        losses: 19,
        winRate: { value: 0.457, low: 0.3, high: 0.62 },
        meanStrategyReturn: -0.002,
        excessVsBuyAndHold: -0.01,
      }),
    },
  ]);
  await addTestPredictions(sql, [
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: SEEDED_AS_OF,
      direction: "up",
      confidence: 0.82,
      reasoning: "Trend <b>up</b> & rising",
    },
    { model: "momentum", symbol: "MSFT", asOf: SEEDED_AS_OF, direction: "down", confidence: 0.64 },
    {
      model: "Mean Reversion",
      symbol: "AAPL",
      asOf: SEEDED_AS_OF,
      direction: "down",
      confidence: 0.91,
    },
  ]);
  const aapl = await getStock(sql, "AAPL");
  if (!aapl) throw new Error("the default universe has no AAPL");
  await upsertPriceBars(sql, aapl, [
    { date: "2025-03-06", open: 1, high: 1, low: 1, close: 200, adjClose: 200, volume: 1 },
    { date: "2025-03-07", open: 1, high: 1, low: 1, close: 203, adjClose: 203, volume: 1 },
  ], "test");
}
