// The fields that describe a stock, shared by the add and edit forms, and their reading back from
// a posted form into the body lib/stocks/validate.ts checks. Field names and their parsing sit
// together so they cannot drift apart.
import type { Stock } from "../../lib/stocks/stock.ts";
import {
  ASSET_CLASSES,
  parseStockFields,
  STOCK_LIMITS,
  type StockDescription,
} from "../../lib/stocks/validate.ts";
import { formText } from "../../lib/http/form_actions.ts";
import { type FieldProblems, validate, type Validated } from "../../lib/http/form_problems.ts";
import { SelectField, TextField } from "./Field.tsx";

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
): Validated<StockDescription> {
  return validate(() =>
    parseStockFields({
      symbol,
      name: formText(form, "name"),
      exchange: formText(form, "exchange"),
      // One text field, comma-separated; empty entries ("a, , b") are slips, not aliases.
      aliases: formText(form, "aliases").split(",").map((alias) => alias.trim()).filter(Boolean),
      assetClass: formText(form, "assetClass"),
      currency: formText(form, "currency"),
    })
  );
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
      <TextField {...field("name")} label="Name" required maxLength={STOCK_LIMITS.name} />
      <TextField
        {...field("exchange")}
        label="Exchange"
        required
        maxLength={STOCK_LIMITS.exchange}
      />
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
