// Validates a stock as an admin describes it (the console's add and edit forms read their fields
// into this body): every problem is listed, each naming its field, and nothing is saved unless all
// pass. Text is trimmed, the symbol normalised and the currency upper-cased on the way.
import { BadRequest } from "../http/errors.ts";
import type { AssetClass } from "./stock.ts";
import type { NewStock } from "./store.ts";
import { normalizeSymbol } from "./symbol.ts";

export const ASSET_CLASSES: readonly AssetClass[] = ["equity", "crypto"];

/** Longest name and exchange, longest alias and most aliases a stock may have. */
export const STOCK_LIMITS = { name: 200, exchange: 40, alias: 100, aliases: 50 } as const;

const FIELDS = new Set(["symbol", "name", "exchange", "aliases", "assetClass", "currency"]);

/** A stock's description, every field given: what an admin saves. */
export type StockDescription = Required<Omit<NewStock, "active">>;

function text(value: unknown): string | null {
  return typeof value === "string" ? value.trim() : null;
}

function textProblem(field: string, value: string | null, max: number, example = ""): string[] {
  return value === null || value === "" || value.length > max
    ? [`${field}: expected 1–${max} characters${example}`]
    : [];
}

/**
 * The stock `body` describes: `{symbol, name, exchange, aliases: string[], assetClass, currency}`.
 * Throws BadRequest listing every problem (in `details.problems`).
 */
export function parseStockFields(body: unknown): StockDescription {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequest("Expected an object describing the stock");
  }
  const input = body as Record<string, unknown>;
  const problems = Object.keys(input).filter((key) => !FIELDS.has(key))
    .map((key) => `${key}: unknown field (known: ${[...FIELDS].join(", ")})`);

  const symbol = typeof input.symbol === "string" ? normalizeSymbol(input.symbol) : null;
  if (symbol === null) {
    problems.push("symbol: expected a ticker: letters, digits and . ^ = _ - (at most 24)");
  }
  const name = text(input.name);
  problems.push(...textProblem("name", name, STOCK_LIMITS.name));
  const exchange = text(input.exchange);
  problems.push(...textProblem("exchange", exchange, STOCK_LIMITS.exchange, ", e.g. NASDAQ"));
  const given = Array.isArray(input.aliases) ? input.aliases.map(text) : [null];
  const aliases = given.filter((alias): alias is string =>
    alias !== null && alias !== "" && alias.length <= STOCK_LIMITS.alias
  );
  if (aliases.length < given.length || aliases.length > STOCK_LIMITS.aliases) {
    problems.push(
      `aliases: at most ${STOCK_LIMITS.aliases}, each up to ${STOCK_LIMITS.alias} characters`,
    );
  }
  const assetClass = ASSET_CLASSES.find((known) => known === input.assetClass);
  if (!assetClass) problems.push(`assetClass: expected ${ASSET_CLASSES.join(" or ")}`);
  const currency = text(input.currency)?.toUpperCase() ?? "";
  if (!/^[A-Z]{3}$/.test(currency)) {
    problems.push("currency: expected a three-letter ISO 4217 code, e.g. USD");
  }

  if (problems.length > 0 || symbol === null || name === null || exchange === null || !assetClass) {
    throw new BadRequest(`Invalid stock: ${problems[0]}`, { problems });
  }
  return { symbol, name, exchange, aliases, assetClass, currency };
}
