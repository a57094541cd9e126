// /api/news: matched news, newest first, keyset-paginated and searchable by keyword; and
// /api/news/search: news like a text or a stored item, as of an instant, with what the price did
// after each (point in time: nothing published at or after `before` comes back).
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { EmbedRequestError, EmbedResponseError } from "../embed/openai.ts";
import { BadRequest, HttpError } from "../http/errors.ts";
import { encodeCursor, QueryParams } from "../http/query.ts";
import { listNews, type NewsCursor, type StoredNews } from "../news/store.ts";
import {
  findSimilarNews,
  knownAsOf,
  MAX_SIMILAR_K,
  type SimilarNews,
} from "../similar/similar_news.ts";
import { VectorStoreUnavailable } from "../vectors/port.ts";

/** Longest query text: a headline plus a summary fits comfortably. */
export const MAX_QUERY_LENGTH = 2_000;

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

export function similarNewsJson(item: SimilarNews) {
  return {
    id: item.id,
    title: item.title,
    url: item.url,
    source: item.source,
    publishedAt: item.publishedAt.toISOString(),
    score: item.score,
    symbol: item.symbol,
    return1d: item.return1d,
    return5d: item.return5d,
  };
}

/** The embedder's API or the vector store is down: a 503, the client may retry later. */
export function searchUnavailable(error: unknown): never {
  if (
    error instanceof VectorStoreUnavailable || error instanceof EmbedRequestError ||
    error instanceof EmbedResponseError
  ) {
    throw new HttpError(503, "search_unavailable", "News search is unavailable right now");
  }
  throw error;
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

  router.get("/search", async (c) => {
    const query = QueryParams.of(c.req.url);
    const text = query.text("q", MAX_QUERY_LENGTH);
    const like = query.integer("like", { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    if ((text === undefined) === (like === 0)) {
      throw new BadRequest("give q (a text) or like (a news id), not both");
    }
    const asOf = knownAsOf(query.instant("before") ?? new Date());
    const k = query.integer("k", { min: 1, max: MAX_SIMILAR_K, fallback: 10 });
    const results = await findSimilarNews(
      { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder },
      { text, newsId: like || undefined, asOf, k, symbol: query.symbol("symbol") },
    ).catch(searchUnavailable);
    return c.json({
      before: asOf.toISOString(),
      embedder: app.embedder.id,
      results: results.map(similarNewsJson),
    });
  });

  return router;
}
