// The fields that describe a stock, shared by the add and edit forms, and their reading back from
// a posted form into what lib/stocks/store.ts upserts. Field names and their parsing sit together
// so they cannot drift apart.
import type { AssetClass, Stock } from "../../lib/stocks/stock.ts";
import type { NewStock } from "../../lib/stocks/store.ts";
import { normalizeSymbol } from "../../lib/stocks/symbol.ts";
import { SelectField, TextField } from "./Field.tsx";
import { formText } from "./form.ts";
import { type FieldProblems, problemsByField, type Validated } from "./problems.ts";

const ASSET_CLASSES: readonly AssetClass[] = ["equity", "crypto"];
const MAX_NAME = 200;
const MAX_EXCHANGE = 40;
const MAX_ALIAS = 100;
const MAX_ALIASES = 50;

/** What a new stock's form starts with. */
export const NEW_STOCK_VALUES = { assetClass: "equity", currency: "USD" };

/** A stored stock as its edit form shows it. */
export function stockValues(stock: Stock): Record<string, string> {
  return {
    symbol: stock.symbol,
    name: stock.name,
    exchange: stock.exchange,
    aliases: stock.aliases.join(", "),
    assetClass: stock.assetClass,
    currency: stock.currency,
  };
}

/**
 * The stock a posted form describes, or every problem with it. `symbol` is given when editing:
 * the symbol is a stock's identity and is not a field of the edit form.
 */
export function readStockForm(
  form: FormData,
  symbol = formText(form, "symbol"),
): Validated<NewStock> {
  const problems: string[] = [];
  const normalized = normalizeSymbol(symbol);
  if (normalized === null) {
    problems.push("symbol: expected a ticker: letters, digits and . ^ = _ - (at most 24)");
  }
  const name = formText(form, "name");
  if (name === "" || name.length > MAX_NAME) {
    problems.push(`name: expected 1–${MAX_NAME} characters`);
  }
  const exchange = formText(form, "exchange");
  if (exchange === "" || exchange.length > MAX_EXCHANGE) {
    problems.push(`exchange: expected 1–${MAX_EXCHANGE} characters, e.g. NASDAQ`);
  }
  const aliases = formText(form, "aliases").split(",").map((alias) => alias.trim())
    .filter(Boolean);
  if (aliases.length > MAX_ALIASES || aliases.some((alias) => alias.length > MAX_ALIAS)) {
    problems.push(`aliases: at most ${MAX_ALIASES}, each up to ${MAX_ALIAS} characters`);
  }
  const assetClass = ASSET_CLASSES.find((known) => known === formText(form, "assetClass"));
  if (!assetClass) problems.push(`assetClass: expected ${ASSET_CLASSES.join(" or ")}`);
  const currency = formText(form, "currency").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    problems.push("currency: expected a three-letter ISO 4217 code, e.g. USD");
  }
  if (normalized === null || !assetClass || problems.length > 0) {
    return { ok: false, problems: problemsByField(problems) };
  }
  return { ok: true, value: { symbol: normalized, name, exchange, aliases, assetClass, currency } };
}

/** The inputs; `askSymbol` when adding (an edit form's page names the stock instead). */
export function StockFields(
  { idPrefix, values, problems, askSymbol }: {
    idPrefix: string;
    values: Readonly<Record<string, string>>;
    problems: FieldProblems;
    askSymbol: boolean;
  },
) {
  const field = (name: string) => ({
    id: `${idPrefix}-${name}`,
    name,
    problems: problems[name],
    value: values[name] ?? "",
  });
  return (
    <>
      {askSymbol && (
        <TextField
          {...field("symbol")}
          label="Symbol"
          hint="As the price sources spell it: AAPL, BRK-B, BTC-USD."
          required
          maxLength={25}
        />
      )}
      <TextField {...field("name")} label="Name" required maxLength={MAX_NAME} />
      <TextField {...field("exchange")} label="Exchange" required maxLength={MAX_EXCHANGE} />
      <TextField
        {...field("aliases")}
        label="Aliases"
        hint="Other names news use for it, comma-separated (the symbol and name always match)."
      />
      <SelectField
        {...field("assetClass")}
        label="Asset class"
        choices={ASSET_CLASSES.map((value) => ({ value, label: value }))}
      />
      <TextField {...field("currency")} label="Currency" required maxLength={3} />
    </>
  );
}
