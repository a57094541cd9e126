// /api/predictions: what the models said, newest first, keyset-paginated and filterable (see
// predictions_params.ts); `format=csv` downloads every match instead (from `cursor` on, if given;
// `limit` only sizes JSON pages), newest first up to a cap. An unknown symbol or model name is not
// an error: like any filter it just matches nothing.
import { Hono } from "hono";
import type { Sql } from "postgres";
import type { AppContext } from "../context.ts";
import { type CsvCell, csvStream } from "../http/csv.ts";
import type { AppEnv } from "../http/env.ts";
import { QueryParams } from "../http/query.ts";
import type { Logger } from "../log.ts";
import {
  countPredictions,
  type ListedPrediction,
  listPredictions,
  type PredictionCursor,
  type PredictionFilters,
} from "../predictions/query.ts";
import {
  predictionCursor,
  readPredictionCursor,
  readPredictionFilters,
} from "./predictions_params.ts";

export interface ExportLimits {
  /** Most rows one CSV download holds (the newest); more matches set X-Export-Truncated. */
  cap: number;
  /** Rows read per query while streaming. */
  batch: number;
}

const EXPORT_LIMITS: ExportLimits = { cap: 100_000, batch: 1_000 };

function predictionJson(prediction: ListedPrediction) {
  return {
    id: prediction.id,
    model: prediction.model,
    symbol: prediction.symbol,
    asOf: prediction.asOf.toISOString(),
    horizon: prediction.horizon,
    direction: prediction.direction,
    confidence: prediction.confidence,
    reasoning: prediction.reasoning,
    citedNews: prediction.citedNews,
    abTest: prediction.abTest,
    variant: prediction.variant,
    mode: prediction.mode,
    contaminated: prediction.contaminated,
    cost: prediction.cost,
    inputTokens: prediction.inputTokens,
    outputTokens: prediction.outputTokens,
    outcome: prediction.outcome,
    createdAt: prediction.createdAt.toISOString(),
  };
}

/** The CSV columns: the JSON fields flattened (lists space-separated). */
const CSV_COLUMNS: [string, (prediction: ListedPrediction) => CsvCell][] = [
  ["id", (p) => p.id],
  ["asOf", (p) => p.asOf],
  ["symbol", (p) => p.symbol],
  ["model", (p) => p.model.name],
  ["provider", (p) => p.model.provider],
  ["horizon", (p) => p.horizon],
  ["direction", (p) => p.direction],
  ["confidence", (p) => p.confidence],
  ["reasoning", (p) => p.reasoning],
  ["citedNewsIds", (p) => p.citedNews.map((item) => item.id).join(" ")],
  ["citedNewsUrls", (p) => p.citedNews.map((item) => item.url).join(" ")],
  ["abTest", (p) => p.abTest],
  ["variant", (p) => p.variant],
  ["mode", (p) => p.mode],
  ["contaminated", (p) => p.contaminated],
  ["cost", (p) => p.cost],
  ["inputTokens", (p) => p.inputTokens],
  ["outputTokens", (p) => p.outputTokens],
  ["realizedReturn", (p) => p.outcome?.realizedReturn],
  ["result", (p) => p.outcome?.result],
  ["createdAt", (p) => p.createdAt],
];

/** Matching rows as CSV records, one query per batch, at most `limits.cap` in all. */
async function* exportBatches(
  sql: Sql,
  filters: PredictionFilters,
  start: PredictionCursor | undefined,
  limits: ExportLimits,
  log: Logger,
) {
  let before = start;
  let remaining = limits.cap;
  try {
    while (remaining > 0) {
      const limit = Math.min(limits.batch, remaining);
      const page = await listPredictions(sql, filters, { limit, before });
      yield page.map((prediction) => CSV_COLUMNS.map(([, cell]) => cell(prediction)));
      const last = page.at(-1);
      if (page.length < limit || !last) return;
      remaining -= page.length;
      before = { asOf: last.asOf, id: last.id };
    }
  } catch (error) {
    // The status line is long gone: the client sees a cut-off download, the log says why.
    log.error("predictions export failed", { error });
    throw error;
  }
}

export function predictionsRouter(
  app: AppContext,
  exportLimits: ExportLimits = EXPORT_LIMITS,
): Hono<AppEnv> {
  const router = new Hono<AppEnv>();

  router.get("/", async (c) => {
    const query = QueryParams.of(c.req.url);
    const filters = readPredictionFilters(query);
    const before = readPredictionCursor(query);
    // Validated in both formats, so a bad value is a 400 either way; an export ignores it.
    const limit = query.integer("limit", { min: 1, max: 500, fallback: 50 });
    const sql = app.db.sql;

    if (query.oneOf("format", ["json", "csv"], "json") === "csv") {
      // Counted first, while a failure can still be a proper error response.
      const { cap } = exportLimits;
      const matches = await countPredictions(sql, filters, { before, upTo: cap + 1 });
      const body = csvStream(
        CSV_COLUMNS.map(([header]) => header),
        exportBatches(sql, filters, before, exportLimits, app.log),
      );
      return new Response(body, {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": 'attachment; filename="predictions.csv"',
          "X-Export-Truncated": String(matches > cap),
        },
      });
    }

    const predictions = await listPredictions(sql, filters, { limit, before });
    const last = predictions.at(-1);
    return c.json({
      predictions: predictions.map(predictionJson),
      nextCursor: predictions.length === limit && last ? predictionCursor(last) : null,
    });
  });

  return router;
}
