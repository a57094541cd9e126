// Row counts for the dashboard's overview: the only SQL the dashboard runs itself.
import type { ISql } from "postgres";

export interface DataCounts {
  stocks: number;
  priceBars: number;
  news: number;
  predictions: number;
}

// PostgreSQL's code for "relation does not exist".
const UNDEFINED_TABLE = "42P01";

/** How much data there is; null when the tables don't exist yet (migrations not applied). */
export async function dataCounts(sql: ISql): Promise<DataCounts | null> {
  try {
    const [row] = await sql<DataCounts[]>`
      select
        (select count(*) from stock)::int as "stocks",
        (select count(*) from price_bar)::int as "priceBars",
        (select count(*) from news)::int as "news",
        (select count(*) from prediction)::int as "predictions"`;
    return row;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return null;
    throw error;
  }
}
