// /api/stocks: the universe and each stock's daily bars.
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { BadRequest, NotFound } from "../http/errors.ts";
import { QueryParams } from "../http/query.ts";
import { priceBars } from "../market/store.ts";
import type { Stock } from "../stocks/stock.ts";
import { getStock, listStocks } from "../stocks/store.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";

/** Bars returned by one prices request: ten years of trading days and then some. */
export const MAX_BARS = 5_000;

function stockJson(stock: Stock) {
  return {
    symbol: stock.symbol,
    name: stock.name,
    exchange: stock.exchange,
    assetClass: stock.assetClass,
    currency: stock.currency,
    aliases: stock.aliases,
    active: stock.active,
  };
}

/** The stock a path names; a symbol that is malformed names no stock either (404, not 400). */
export async function requireStock(app: AppContext, rawSymbol: string): Promise<Stock> {
  const symbol = normalizeSymbol(rawSymbol);
  const stock = symbol === null ? null : await getStock(app.db.sql, symbol);
  if (!stock) throw new NotFound(`No stock with symbol ${JSON.stringify(rawSymbol)}`);
  return stock;
}

export function stocksRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();

  router.get("/", async (c) => {
    const query = QueryParams.of(c.req.url);
    const status = query.oneOf("status", ["active", "all"] as const, "active");
    const q = query.text("q", 50)?.toLowerCase();
    const stocks = await listStocks(app.db.sql, { activeOnly: status === "active" });
    const matching = q === undefined
      ? stocks
      : stocks.filter((stock) =>
        [stock.symbol, stock.name, ...stock.aliases].some((text) => text.toLowerCase().includes(q))
      );
    return c.json({ stocks: matching.map(stockJson) });
  });

  router.get("/:symbol", async (c) => {
    return c.json({ stock: stockJson(await requireStock(app, c.req.param("symbol"))) });
  });

  router.get("/:symbol/prices", async (c) => {
    const stock = await requireStock(app, c.req.param("symbol"));
    const query = QueryParams.of(c.req.url);
    const from = query.date("from");
    const to = query.date("to");
    if (from !== undefined && to !== undefined && from > to) {
      throw new BadRequest("from must not be after to", { from, to });
    }
    const bars = await priceBars(app.db.sql, stock.id, { from, to, limit: MAX_BARS });
    return c.json({
      symbol: stock.symbol,
      currency: stock.currency,
      bars: bars.map((bar) => ({
        date: bar.date,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        adjClose: bar.adjClose,
        volume: bar.volume,
        closedAt: bar.closedAt.toISOString(),
        source: bar.source,
      })),
      truncated: bars.length === MAX_BARS,
    });
  });

  return router;
}
