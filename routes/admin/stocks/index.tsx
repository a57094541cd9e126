// The stock universe and the news feeds: every stock, active or not, a form to add one, buttons to
// activate or deactivate; the feeds the crawl polls, a form to add one, buttons to remove them.
import { FeedTable } from "../../../components/admin/FeedTable.tsx";
import { SelectField, TextField } from "../../../components/admin/Field.tsx";
import { FieldErrors } from "../../../components/admin/FieldErrors.tsx";
import { FlashBanner } from "../../../components/admin/FlashBanner.tsx";
import {
  formActions,
  formId,
  formText,
  formValues,
  redirectWithFlash,
} from "../../../lib/http/form_actions.ts";
import { PostForm } from "../../../components/admin/PostForm.tsx";
import { type FormState, NO_PROBLEMS, problemsByField } from "../../../lib/http/form_problems.ts";
import {
  NEW_STOCK_VALUES,
  readStockForm,
  StockFields,
} from "../../../components/admin/StockFields.tsx";
import { StockTable } from "../../../components/admin/StockTable.tsx";
import { bumpDataVersion } from "../../../lib/cache/data_version.ts";
import type { AppContext } from "../../../lib/context.ts";
import { define } from "../../../lib/fresh/define.ts";
import { NotFound } from "../../../lib/http/errors.ts";
import { addFeed, deleteFeed, listFeeds, type StoredFeed } from "../../../lib/news/feeds_store.ts";
import type { Stock } from "../../../lib/stocks/stock.ts";
import { getStock, listStocks, setStockActive, upsertStocks } from "../../../lib/stocks/store.ts";

const PATH = "/admin/stocks";
const MAX_FEED_URL = 2_000;
const MAX_FEED_TITLE = 200;

const FLASHES = {
  "stock-added": "Stock added and active: the next crawl loads its prices and news.",
  "stock-saved": "Stock saved.",
  "activated": "Stock activated: the jobs crawl and predict it from their next run.",
  "deactivated": "Stock deactivated: the jobs no longer crawl or predict it.",
  "feed-added": "Feed added: the next crawl polls it.",
  "feed-exists": "That feed was already there; nothing changed.",
  "feed-removed": "Feed removed. The news it brought stays.",
};

interface StocksData {
  stocks: Stock[];
  feeds: StoredFeed[];
  stockForm: FormState;
  feedForm: FormState;
}

const EMPTY_STOCK_FORM: FormState = { values: NEW_STOCK_VALUES, problems: NO_PROBLEMS };
const EMPTY_FEED_FORM: FormState = { values: {}, problems: NO_PROBLEMS };

async function pageData(app: AppContext, forms: Partial<StocksData> = {}): Promise<StocksData> {
  const [stocks, feeds] = await Promise.all([listStocks(app.db.sql), listFeeds(app.db.sql)]);
  return { stocks, feeds, stockForm: EMPTY_STOCK_FORM, feedForm: EMPTY_FEED_FORM, ...forms };
}

export const handler = define.handlers<StocksData>({
  async GET(_req, ctx) {
    return ctx.render(await pageData(ctx.state.app));
  },
  POST: formActions<StocksData>({
    async "add-stock"(form, ctx) {
      const { app } = ctx.state;
      const read = readStockForm(form);
      if (read.ok && !(await getStock(app.db.sql, read.value.symbol))) {
        await upsertStocks(app.db.sql, [read.value]);
        await bumpDataVersion(app.cache);
        return redirectWithFlash(PATH, "stock-added");
      }
      // An upsert would quietly rewrite the existing stock: adding is not editing.
      const problems = read.ok
        ? problemsByField([
          `symbol: ${read.value.symbol} exists already: edit it in the list above`,
        ])
        : read.problems;
      const stockForm = { values: formValues(form), problems };
      return ctx.render(await pageData(app, { stockForm }), { status: 422 });
    },
    async "set-active"(form, ctx) {
      const { app } = ctx.state;
      const active = formText(form, "active") === "true";
      const symbol = formText(form, "symbol");
      if (!(await setStockActive(app.db.sql, symbol, active))) {
        throw new NotFound(`No stock ${JSON.stringify(symbol)}`);
      }
      await bumpDataVersion(app.cache);
      return redirectWithFlash(PATH, active ? "activated" : "deactivated");
    },
    async "add-feed"(form, ctx) {
      const { app } = ctx.state;
      const url = formText(form, "url");
      const title = formText(form, "title");
      const symbol = formText(form, "symbol");
      const stock = symbol ? await getStock(app.db.sql, symbol) : null;
      const problems: string[] = [];
      if (url.length > MAX_FEED_URL) problems.push(`url: at most ${MAX_FEED_URL} characters`);
      if (title.length > MAX_FEED_TITLE) {
        problems.push(`title: at most ${MAX_FEED_TITLE} characters`);
      }
      if (symbol && !stock) problems.push(`symbol: no stock ${symbol}`);
      if (problems.length === 0) {
        try {
          const { created } = await addFeed(app.db.sql, { url, title, stockId: stock?.id ?? null });
          return redirectWithFlash(PATH, created ? "feed-added" : "feed-exists");
        } catch (error) {
          // addFeed owns the rule for what a feed URL may be.
          if (!(error instanceof RangeError)) throw error;
          problems.push("url: expected an http(s) address");
        }
      }
      const feedForm = { values: formValues(form), problems: problemsByField(problems) };
      return ctx.render(await pageData(app, { feedForm }), { status: 422 });
    },
    async "remove-feed"(form, ctx) {
      const id = formId(form, "id");
      if (!(await deleteFeed(ctx.state.app.db.sql, id))) throw new NotFound(`No feed ${id}`);
      return redirectWithFlash(PATH, "feed-removed");
    },
  }),
});

function AddStockForm({ form, csrf }: { form: FormState; csrf: string }) {
  return (
    <PostForm action={PATH} intent="add-stock" csrf={csrf} class="admin-form" label="Add a stock">
      <FieldErrors id="stock-form-errors" messages={form.problems[""]} />
      <StockFields idPrefix="stock" values={form.values} problems={form.problems} askSymbol />
      <div class="form-actions">
        <button type="submit">Add stock</button>
      </div>
    </PostForm>
  );
}

function AddFeedForm(
  { form, stocks, csrf }: { form: FormState; stocks: readonly Stock[]; csrf: string },
) {
  const field = (name: string) => ({
    id: `feed-${name}`,
    name,
    value: form.values[name] ?? "",
    problems: form.problems[name],
  });
  return (
    <PostForm action={PATH} intent="add-feed" csrf={csrf} class="admin-form" label="Add a feed">
      <TextField
        {...field("url")}
        label="Feed URL"
        inputMode="url"
        required
        maxLength={MAX_FEED_URL}
      />
      <TextField {...field("title")} label="Title" maxLength={MAX_FEED_TITLE} />
      <SelectField
        {...field("symbol")}
        label="About"
        hint="A feed about one stock links every item to it; otherwise items are matched by name."
        choices={[
          { value: "", label: "Any stock its items name" },
          ...stocks.map((stock) => ({ value: stock.symbol, label: stock.symbol })),
        ]}
      />
      <div class="form-actions">
        <button type="submit">Add feed</button>
      </div>
    </PostForm>
  );
}

export default define.page<StocksData>(({ data, url, state }) => {
  const { stocks, feeds, stockForm, feedForm } = data;
  const csrf = state.csrfToken;
  return (
    <>
      <div class="page-heading">
        <h1>Stocks</h1>
      </div>
      <FlashBanner url={url} messages={FLASHES} />
      <section aria-labelledby="stocks-title">
        <h2 id="stocks-title">Universe</h2>
        {stocks.length > 0 ? <StockTable stocks={stocks} csrf={csrf} /> : <p>No stocks yet.</p>}
      </section>
      <section aria-labelledby="add-stock-title">
        <h2 id="add-stock-title">Add a stock</h2>
        <AddStockForm form={stockForm} csrf={csrf} />
      </section>
      <section aria-labelledby="feeds-title">
        <h2 id="feeds-title">News feeds</h2>
        {feeds.length > 0
          ? <FeedTable feeds={feeds} stocks={stocks} csrf={csrf} />
          : <p>No feeds: the crawl reads only the built-in sources.</p>}
        <h3>Add a feed</h3>
        <AddFeedForm form={feedForm} stocks={stocks} csrf={csrf} />
      </section>
    </>
  );
});
