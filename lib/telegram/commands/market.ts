// The public commands, for any chat: /top, /models and /stock SYMBOL. They read what the dashboard
// and the stock page read, so the bot and the site never disagree.
import { Composer, type Context } from "grammy";
import type { ISql } from "postgres";
import { priceBars } from "../../market/store.ts";
import { loadDashboard } from "../../overview/dashboard.ts";
import { latestPredictionsForStock, strongestSignals } from "../../predictions/query.ts";
import { getStock } from "../../stocks/store.ts";
import { parseSymbol } from "../args.ts";
import { type BotApp, send } from "../chat.ts";
import { modelsText, problemReply, stockText, topText, unknownStockText } from "../replies.ts";

const TOP_SIGNALS = 8;
/** Most models whose latest call /stock lists (as the stock page). */
const STOCK_MODELS = 20;

/** The dashboard's strongest signals, or every active model's when none has earned trust. */
async function topSignals(sql: ISql) {
  const dashboard = await loadDashboard(sql);
  if (dashboard.models.some((m) => m.verdict.trusted)) {
    return { signals: dashboard.signals, trusted: true };
  }
  const active = dashboard.models.filter((m) => m.model.active).map((m) => m.model.name);
  return {
    signals: await strongestSignals(sql, { models: active, limit: TOP_SIGNALS }),
    trusted: false,
  };
}

export function marketCommands(app: BotApp): Composer<Context> {
  const commands = new Composer();
  const { sql } = app.db;
  const { publicUrl } = app.config;

  commands.command("top", async (ctx) => {
    await send(ctx, topText(await topSignals(sql), publicUrl));
  });

  commands.command("models", async (ctx) => {
    await send(ctx, modelsText((await loadDashboard(sql)).leaderboard, publicUrl));
  });

  commands.command("stock", async (ctx) => {
    const symbol = parseSymbol(ctx.match, "/stock");
    if (!symbol.ok) return await send(ctx, problemReply(symbol.problem));
    const stock = await getStock(sql, symbol.value);
    if (!stock) return await send(ctx, unknownStockText(symbol.value, publicUrl));
    const [bars, predictions] = await Promise.all([
      priceBars(sql, stock.id, { limit: 2 }),
      latestPredictionsForStock(sql, stock.id, STOCK_MODELS),
    ]);
    await send(ctx, stockText(stock, bars, predictions, publicUrl));
  });

  return commands;
}
