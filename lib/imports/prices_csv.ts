// Daily-bar CSV files: which column is which, and each row → a bar or the reason it is refused.
// Pure: the importer (prices_import.ts) reads the file and stores the bars.
import { barProblem } from "../market/bar_rules.ts";
import type { DailyBar } from "../market/port.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { alternatives, findColumn, HeaderError, shownHeader } from "./header.ts";

export const PRICE_COLUMNS = {
  date: ["date"],
  open: ["open"],
  high: ["high"],
  low: ["low"],
  close: ["close"],
  adjClose: ["adj close", "adj_close", "adjclose"],
  volume: ["volume"],
  symbol: ["symbol", "ticker"],
} as const;

/** Field indexes of a prices file; optional columns are null when absent. */
export interface PriceColumns {
  /** Fields per row, from the header. */
  width: number;
  date: number;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number | null;
  volume: number | null;
  /** Null when the file is one symbol's, named after it (see `symbolFromFileName`). */
  symbol: number | null;
  /** The file's symbol when there is no symbol column. */
  fileSymbol: string | null;
}

export interface PriceRow {
  symbol: string;
  bar: DailyBar;
}

/**
 * A file named after a ticker (`AAPL.csv`, `brk-b.csv`, `BTC-USD.csv`) holds that ticker's bars.
 * Names with an underscore or longer than 15 characters (`prices_daily.csv`) are not tickers.
 */
export function symbolFromFileName(path: string): string | null {
  const stem = path.split(/[\\/]/).pop()!.replace(/\.(csv|txt)$/i, "");
  if (stem.length > 15 || stem.includes("_")) return null;
  return normalizeSymbol(stem);
}

/** Maps the header; throws a HeaderError naming what is missing and what was found. */
export function priceColumns(header: string[], fileName: string): PriceColumns {
  const required = ["date", "open", "high", "low", "close"] as const;
  const missing = required.filter((name) => findColumn(header, PRICE_COLUMNS[name]) === null);
  const symbol = findColumn(header, PRICE_COLUMNS.symbol);
  const fileSymbol = symbol === null ? symbolFromFileName(fileName) : null;
  if (missing.length || (symbol === null && fileSymbol === null)) {
    const needs: string[] = [...missing];
    if (symbol === null && fileSymbol === null) {
      needs.push(
        `${alternatives(PRICE_COLUMNS.symbol)} (or a file named after the ticker, e.g. AAPL.csv)`,
      );
    }
    throw new HeaderError(
      `a prices file needs the columns date, open, high, low, close, volume (optional), ` +
        `adj close (optional) and symbol or ticker; missing: ${needs.join("; ")}. ` +
        `Header found: ${shownHeader(header)}`,
    );
  }
  const at = (names: readonly string[]) => findColumn(header, names);
  return {
    width: header.length,
    date: at(PRICE_COLUMNS.date)!,
    open: at(PRICE_COLUMNS.open)!,
    high: at(PRICE_COLUMNS.high)!,
    low: at(PRICE_COLUMNS.low)!,
    close: at(PRICE_COLUMNS.close)!,
    adjClose: at(PRICE_COLUMNS.adjClose),
    volume: at(PRICE_COLUMNS.volume),
    symbol,
    fileSymbol,
  };
}

/** "2024-01-02", or a timestamp on that day as some exporters write it ("2024-01-02 00:00:00-05:00"). */
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.+-]*Z?)?$/;

function validDate(text: string): string | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const date = match[1];
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : null;
}

/** A number field: the value, null when empty and `optional`, or a reason. */
function number(
  text: string,
  name: string,
  optional: boolean,
): { value: number | null } | { reason: string } {
  const trimmed = text.trim();
  if (trimmed === "") return optional ? { value: null } : { reason: `${name} is empty` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { reason: `${name} ${JSON.stringify(trimmed)} is not a number` };
  }
  return { value };
}

/** One row → a bar for a symbol, or the reason it cannot be stored. */
export function parsePriceRow(
  fields: string[],
  columns: PriceColumns,
): { row: PriceRow } | { reason: string } {
  if (fields.length !== columns.width) {
    return { reason: `${fields.length} fields where the header has ${columns.width}` };
  }
  const rawSymbol = columns.symbol === null ? null : fields[columns.symbol];
  const symbol = rawSymbol === null ? columns.fileSymbol : normalizeSymbol(rawSymbol);
  if (!symbol) return { reason: `symbol ${JSON.stringify(rawSymbol)} is not a ticker` };
  const date = validDate(fields[columns.date]);
  if (!date) return { reason: `date ${JSON.stringify(fields[columns.date])} is not YYYY-MM-DD` };
  const values: Record<string, number | null> = {};
  const wanted = [
    ["open", columns.open, false],
    ["high", columns.high, false],
    ["low", columns.low, false],
    ["close", columns.close, false],
    ["adj close", columns.adjClose, true],
    ["volume", columns.volume, true],
  ] as const;
  for (const [name, index, optional] of wanted) {
    if (index === null) {
      values[name] = null;
      continue;
    }
    const parsed = number(fields[index], name, optional);
    if ("reason" in parsed) return parsed;
    values[name] = parsed.value;
  }
  const bar: DailyBar = {
    date,
    open: values.open!,
    high: values.high!,
    low: values.low!,
    close: values.close!,
    adjClose: values["adj close"],
    volume: values.volume,
  };
  const problem = barProblem(bar);
  return problem ? { reason: problem } : { row: { symbol, bar } };
}
