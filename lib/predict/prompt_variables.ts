// The variables a prompt template may use, and their text for one set of model inputs. Every
// number is computed and formatted here (percentages with a sign, fixed decimals): the model only
// copies numbers, so no arithmetic of its own is later shown as fact. News text comes from feeds
// and is collapsed to single lines, so a title cannot fake the prompt's structure.
import { signedPercent } from "./format.ts";
import { collapseWhitespace, truncateText } from "../news/html_text.ts";
import type { SimilarNews } from "../similar/similar_news.ts";
import { MAX_REASONING_CHARS } from "./forecast_schema.ts";
import type { Indicators, InputBar, InputNews, ModelInputs } from "./types.ts";

/** Bars in {{prices}}: six weeks of trading shows the recent path without flooding the prompt. */
export const PRICE_ROWS = 30;
/** Characters of a news summary shown: the headline carries most of it, the rest costs tokens. */
export const SUMMARY_CHARS = 300;

/** Every variable a template may use as `{{name}}`, with what it stands for. */
export const PROMPT_VARIABLES = {
  symbol: "The stock's ticker symbol, e.g. AAPL.",
  name: "The stock's name, e.g. Apple Inc.",
  exchange: "The exchange it is listed on, e.g. NASDAQ.",
  asset_class: "equity or crypto.",
  as_of: "The instant the forecast is made as of, in UTC: nothing later is shown.",
  horizon: "Trading days from the first close after as-of to the close forecast.",
  prices: `The last ${PRICE_ROWS} daily bars, oldest first: date, close, change from the ` +
    "previous close, volume.",
  indicators: "Lines computed from the bars: last close, 1/5/20-day returns, SMA20, SMA50, " +
    "distance from SMA20, RSI14, 20-day annualised volatility.",
  news: "The stock's recent news, newest first: a numbered list with [id], publication time, " +
    "source, title and the start of the summary.",
  similar_news: "Earlier news most like the recent news: [id], date, title, similarity, and the " +
    'realised 1-day and 5-day returns after it ("not yet known" when not realised by as-of).',
  output_schema: "The JSON object the answer must be, with the horizon asked for (required).",
} as const;

export type PromptVariable = keyof typeof PROMPT_VARIABLES;

export function isPromptVariable(name: string): name is PromptVariable {
  return Object.hasOwn(PROMPT_VARIABLES, name);
}

/** The text of every variable for these inputs. */
export function promptVariableValues(inputs: ModelInputs): Record<PromptVariable, string> {
  return {
    symbol: inputs.stock.symbol,
    name: collapseWhitespace(inputs.stock.name),
    exchange: inputs.stock.exchange,
    asset_class: inputs.stock.assetClass,
    as_of: instant(inputs.asOf),
    horizon: String(inputs.horizon),
    prices: priceTable(inputs.bars),
    indicators: indicatorLines(inputs.indicators),
    news: newsList(inputs.news),
    similar_news: similarList(inputs.similar),
    output_schema: outputSchema(inputs.horizon),
  };
}

const NOT_KNOWN = "not known (too few bars)";
const VOLUME = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A return in prompts: two decimals, signed ("+1.23%", "-0.40%", "0.00%"). */
function percent2(fraction: number): string {
  return signedPercent(fraction, 2);
}

/** Two decimals from 1 up; four significant digits below (crypto, penny stocks). */
export function formatPrice(value: number): string {
  return Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(4);
}

/** "2024-03-01 21:00 UTC". */
function instant(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function priceTable(bars: readonly InputBar[]): string {
  if (bars.length === 0) return "(no bars)";
  const first = Math.max(0, bars.length - PRICE_ROWS);
  const rows = [["date", "close", "change", "volume"]];
  for (let i = first; i < bars.length; i++) {
    const bar = bars[i];
    // The change of the window's first row uses the bar before the window when there is one.
    const change = i > 0 ? percent2(bar.close / bars[i - 1].close - 1) : "n/a";
    const volume = bar.volume === null ? "n/a" : VOLUME.format(bar.volume);
    rows.push([bar.date, formatPrice(bar.close), change, volume]);
  }
  return alignColumns(rows);
}

/** Rows as text columns padded to equal width. */
function alignColumns(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trim())
    .join("\n");
}

function indicatorLines(indicators: Indicators): string {
  const line = (label: string, value: number | null, format: (value: number) => string) =>
    `${label}: ${value === null ? NOT_KNOWN : format(value)}`;
  return [
    line("last close", indicators.lastClose, formatPrice),
    line("return over 1 day", indicators.return1d, percent2),
    line("return over 5 days", indicators.return5d, percent2),
    line("return over 20 days", indicators.return20d, percent2),
    line("SMA20 (20-day average close)", indicators.sma20, formatPrice),
    line("SMA50 (50-day average close)", indicators.sma50, formatPrice),
    line("last close vs SMA20", indicators.distanceFromSma20, percent2),
    line("RSI14", indicators.rsi14, (value) => value.toFixed(1)),
    line(
      "volatility (20-day, annualised)",
      indicators.volatility20,
      (value) => `${(value * 100).toFixed(1)}%`,
    ),
  ].join("\n");
}

function newsList(news: readonly InputNews[]): string {
  if (news.length === 0) return "(none)";
  return news.map((item, index) => {
    const head = `${index + 1}. [${item.id}] ${instant(item.publishedAt)}, ` +
      `${collapseWhitespace(item.source)}: ${collapseWhitespace(item.title)}`;
    const summary = item.summary === null ? "" : collapseWhitespace(item.summary);
    return summary ? `${head}\n   ${truncateText(summary, SUMMARY_CHARS)}` : head;
  }).join("\n");
}

function similarList(similar: readonly SimilarNews[]): string {
  if (similar.length === 0) return "(none)";
  return similar.map((item, index) => {
    const head = `${index + 1}. [${item.id}] ${item.publishedAt.toISOString().slice(0, 10)}, ` +
      `similarity ${item.score.toFixed(2)}: ${collapseWhitespace(item.title)}`;
    const after = (value: number | null) => value === null ? "not yet known" : percent2(value);
    const returns = item.symbol === null
      ? "returns not known (no stock linked)"
      : `${item.symbol} afterwards: 1 day ${after(item.return1d)}, 5 days ${after(item.return5d)}`;
    return `${head}\n   ${returns}`;
  }).join("\n");
}

function outputSchema(horizon: number): string {
  return [
    "One JSON object with exactly these keys, and nothing before or after it:",
    '- "direction": "up", "down" or "flat" (flat: no clear move either way)',
    '- "confidence": a number from 0 to 1, how likely the direction is right',
    `- "horizon": ${horizon}`,
    `- "reasoning": why, in at most ${MAX_REASONING_CHARS} characters, quoting numbers only as ` +
    "shown above",
    '- "citedNewsIds": the [ids] of the news above the reasoning relies on ([] if none)',
  ].join("\n");
}
