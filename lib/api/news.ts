// /api/news: matched news, newest first, keyset-paginated and searchable.
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { BadRequest } from "../http/errors.ts";
import { encodeCursor, QueryParams } from "../http/query.ts";
import { listNews, type NewsCursor, type StoredNews } from "../news/store.ts";

function decodeCursor(value: unknown): NewsCursor {
  if (!Array.isArray(value) || value.length !== 2) throw new Error("cursor shape");
  const [publishedAt, id] = value;
  const date = new Date(String(publishedAt));
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(id) || id < 1) {
    throw new Error("cursor values");
  }
  return { publishedAt: date, id };
}

export function newsJson(item: StoredNews) {
  return {
    id: item.id,
    title: item.title,
    summary: item.summary,
    url: item.url,
    source: item.source,
    publishedAt: item.publishedAt.toISOString(),
    publishedAtEstimated: item.publishedAtEstimated,
    symbols: item.symbols,
  };
}

export function newsRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();

  router.get("/", async (c) => {
    const query = QueryParams.of(c.req.url);
    const from = query.date("from");
    const to = query.date("to");
    if (from !== undefined && to !== undefined && from > to) {
      throw new BadRequest("from must not be after to", { from, to });
    }
    const limit = query.integer("limit", { min: 1, max: 100, fallback: 20 });
    const items = await listNews(app.db.sql, {
      symbol: query.symbol("symbol"),
      q: query.text("q"),
      from: from === undefined ? undefined : new Date(`${from}T00:00:00Z`),
      to: to === undefined ? undefined : new Date(`${to}T23:59:59.999Z`),
      limit,
      before: query.cursor("cursor", decodeCursor),
    });
    const last = items.at(-1);
    return c.json({
      news: items.map(newsJson),
      nextCursor: items.length === limit && last
        ? encodeCursor([last.publishedAt.toISOString(), last.id])
        : null,
    });
  });

  return router;
}
