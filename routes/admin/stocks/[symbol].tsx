// One stock's description: name, exchange, aliases for news matching, asset class and currency.
// The symbol is the stock's identity and is not edited here.
import { FieldErrors } from "../../../components/admin/FieldErrors.tsx";
import { formActions, formValues, redirectWithFlash } from "../../../lib/http/form_actions.ts";
import { PostForm } from "../../../components/admin/PostForm.tsx";
import { type FormState, NO_PROBLEMS } from "../../../lib/http/form_problems.ts";
import { readStockForm, StockFields, stockValues } from "../../../components/admin/StockFields.tsx";
import { bumpDataVersion } from "../../../lib/cache/data_version.ts";
import type { AppContext } from "../../../lib/context.ts";
import { define } from "../../../lib/fresh/define.ts";
import { NotFound } from "../../../lib/http/errors.ts";
import type { Stock } from "../../../lib/stocks/stock.ts";
import { getStock, upsertStocks } from "../../../lib/stocks/store.ts";
import { adminStockPath } from "../../../lib/stocks/paths.ts";

interface StockData {
  stock: Stock;
  form: FormState;
}

async function requireStock(app: AppContext, symbol: string): Promise<Stock> {
  const stock = await getStock(app.db.sql, symbol);
  if (!stock) throw new NotFound(`No stock ${JSON.stringify(symbol)}`);
  return stock;
}

export const handler = define.handlers<StockData>({
  async GET(_req, ctx) {
    const stock = await requireStock(ctx.state.app, ctx.params.symbol);
    return ctx.render({ stock, form: { values: stockValues(stock), problems: NO_PROBLEMS } });
  },
  POST: formActions<StockData>({
    async save(form, ctx) {
      const { app } = ctx.state;
      const stock = await requireStock(app, ctx.params.symbol);
      const read = readStockForm(form, stock.symbol);
      if (!read.ok) {
        const values = { ...formValues(form), symbol: stock.symbol };
        return ctx.render({ stock, form: { values, problems: read.problems } }, { status: 422 });
      }
      await upsertStocks(app.db.sql, [read.value]);
      await bumpDataVersion(app.cache);
      return redirectWithFlash("/admin/stocks", "stock-saved");
    },
  }),
});

export default define.page<StockData>(({ data: { stock, form }, state }) => {
  const action = adminStockPath(stock.symbol);
  return (
    <>
      <div class="page-heading">
        <h1>Edit {stock.symbol}</h1>
        <ul class="badges" aria-label="Stock">
          <li class={`badge ${stock.active ? "badge-live" : "badge-local"}`}>
            {stock.active ? "active" : "inactive"}
          </li>
        </ul>
      </div>
      <p>
        <a href="/admin/stocks">All stocks</a>
      </p>
      <PostForm
        action={action}
        intent="save"
        csrf={state.csrfToken}
        class="admin-form"
        label={`Edit ${stock.symbol}`}
      >
        <FieldErrors id="stock-form-errors" messages={form.problems[""]} />
        <StockFields
          idPrefix="stock"
          values={form.values}
          problems={form.problems}
          askSymbol={false}
        />
        <div class="form-actions">
          <button type="submit">Save</button>
        </div>
      </PostForm>
    </>
  );
});
