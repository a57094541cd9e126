// Adversarial point-in-time news for end-to-end tests (job, API, page): items published before
// the as-of instant, exactly at it, one second after it, a far-future "canary", and an undated
// item, all close in wording so that any leak would rank near the top.
import type { Sql } from "postgres";
import { embedPendingNews } from "../../lib/embed/embed_news.ts";
import { OfflineEmbedder } from "../../lib/embed/offline.ts";
import { createLogger } from "../../lib/log.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import type { VectorStore } from "../../lib/vectors/port.ts";
import { testBar } from "./fixtures.ts";
import { addTestNews } from "./news.ts";

export const QUERY = "Apple shares surge after record iPhone sales";
/** The as-of instant of the searches. */
export const AS_OF = new Date("2024-03-20T12:00:00Z");

export interface PlantedNews {
  /** Published before AS_OF: the only ones a search as of AS_OF may return. */
  earlier: number[];
  atAsOf: number;
  oneSecondAfter: number;
  /** Dated 2099: must never come back from any search, whatever the as-of. */
  canary: number;
  /** No publication date from the source: never indexed. */
  undated: number;
}

/** Stores AAPL and MSFT (if missing) and the adversarial news; returns the ids by role. */
export async function plantPointInTimeNews(sql: Sql): Promise<PlantedNews> {
  await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
  ]);
  const at = (offsetMs: number) => new Date(AS_OF.getTime() + offsetMs);
  const ids = await addTestNews(sql, [
    { title: `${QUERY} in China`, publishedAt: at(-2 * 86_400_000), symbols: ["AAPL"] },
    {
      title: "Apple stock jumps on strong iPhone demand",
      publishedAt: at(-3_600_000),
      symbols: ["AAPL"],
    },
    {
      title: "Microsoft cloud revenue beats estimates",
      publishedAt: at(-3 * 86_400_000),
      symbols: ["MSFT"],
    },
    { title: QUERY, publishedAt: at(0), symbols: ["AAPL"] },
    { title: `${QUERY}!`, publishedAt: at(1_000), symbols: ["AAPL"] },
    {
      title: `CANARY ${QUERY}`,
      publishedAt: new Date("2099-01-01T00:00:00Z"),
      symbols: ["AAPL", "MSFT"],
    },
    { title: `${QUERY} (undated)`, publishedAt: null, symbols: ["AAPL"] },
  ], at(-86_400_000));
  const [a, b, c, atAsOf, oneSecondAfter, canary, undated] = ids;
  return { earlier: [a, b, c], atAsOf, oneSecondAfter, canary, undated };
}

/**
 * The planted news, embedded into `vectors`, plus two AAPL closes around it: 100 on 2024-03-18
 * and 103 on the 19th, so the item of the 18th shows +3.00% one day later.
 */
export async function plantEmbeddedCanaryWorld(
  sql: Sql,
  vectors: VectorStore,
): Promise<PlantedNews> {
  const planted = await plantPointInTimeNews(sql);
  const [aapl] = await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  await upsertPriceBars(
    sql,
    aapl,
    [testBar("2024-03-18", 100), testBar("2024-03-19", 103)],
    "test",
  );
  await embedPendingNews({
    sql,
    vectors,
    embedder: new OfflineEmbedder(),
    log: createLogger("error", () => {}),
  });
  return planted;
}
