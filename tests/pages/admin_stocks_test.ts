// /admin/stocks as an admin: the universe with inactive stocks, adding, editing and (de)activating
// stocks, the news feeds; CSRF refusals, problems listed per field, escaping.
import assert from "node:assert/strict";
import { listFeeds } from "../../lib/news/feeds_store.ts";
import { getStock, upsertStocks } from "../../lib/stocks/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { withPages } from "../support/pages.ts";
import {
  assertFlashRedirect,
  createAdmin,
  csrfOf,
  fieldErrors,
  postForm,
  submit,
} from "./admin_forms.ts";

const NEW_STOCK = {
  symbol: "nflx",
  name: "Netflix, Inc.",
  exchange: "NASDAQ",
  aliases: "Netflix, streaming giant , ",
  assetClass: "equity",
  currency: "usd",
};

Deno.test("admin stocks: lists active and inactive stocks with their feeds, names escaped", async () => {
  await using db = await openTestDatabase();
  const [apple] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple"] },
    { symbol: "EVIL", exchange: "NYSE", name: "<script>alert(1)</script>", active: false },
  ]);
  await db.sql`insert into news_feed (url, title, stock_id)
    values ('https://feeds.example.com/apple.xml', 'Apple <b>news</b>', ${apple.id})`;
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const { status, html } = await page("/admin/stocks");
    assert.equal(status, 200);
    assert.match(html, /<a href="\/admin\/stocks" aria-current="page">Stocks<\/a>/);
    assert.match(html, /<a href="\/admin\/stocks\/AAPL">AAPL<\/a>/);
    assert.match(html, /<td>&lt;script>alert\(1\)&lt;\/script><\/td>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /<td>Inactive<\/td>/);
    assert.match(html, /Activate<span class="visually-hidden"> EVIL<\/span>/);
    assert.match(html, /Deactivate<span class="visually-hidden"> AAPL<\/span>/);
    assert.match(html, /Apple &lt;b>news&lt;\/b>/);
    assert.match(html, /<code>https:\/\/feeds\.example\.com\/apple\.xml<\/code>/);
  }, { user: admin });
});

Deno.test("admin stocks: adding a stock stores it and redirects with a message", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const response = await submit(page, "/admin/stocks", "add-stock", NEW_STOCK);
    assertFlashRedirect(response, "/admin/stocks", "stock-added");
    const stored = await getStock(db.sql, "NFLX");
    assert.deepEqual(
      { ...stored, id: 0 },
      {
        id: 0,
        symbol: "NFLX",
        name: "Netflix, Inc.",
        exchange: "NASDAQ",
        aliases: ["Netflix", "streaming giant"],
        assetClass: "equity",
        currency: "USD",
        active: true,
      },
    );
    const { html } = await page(response.headers.get("location")!);
    assert.match(html, /<p class="banner banner-success" role="status">Stock added and active/);

    const again = await submit(page, "/admin/stocks", "add-stock", NEW_STOCK);
    assert.equal(again.status, 422);
    assert.match(fieldErrors(again.html, "stock-symbol"), /NFLX exists already/);
  }, { user: admin });
});

Deno.test("admin stocks: a post without the page's CSRF token is refused and changes nothing", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const missing = await postForm(page, "/admin/stocks", { intent: "add-stock", ...NEW_STOCK });
    assert.equal(missing.status, 403);
    const wrong = await postForm(page, "/admin/stocks", {
      csrf: "not-the-token",
      intent: "add-stock",
      ...NEW_STOCK,
    });
    assert.equal(wrong.status, 403);
    assert.match(wrong.html, /CSRF token is missing or does not match/);
    assert.equal(await getStock(db.sql, "NFLX"), null);
  }, { user: admin });
});

Deno.test("admin stocks: every problem is listed at its field and the values typed are kept", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const { status, html } = await submit(page, "/admin/stocks", "add-stock", {
      symbol: "no spaces!",
      name: "",
      exchange: "NYSE",
      aliases: "<script>x</script>",
      assetClass: "bonds",
      currency: "dollars",
    });
    assert.equal(status, 422);
    assert.match(fieldErrors(html, "stock-symbol"), /expected a ticker/);
    assert.match(fieldErrors(html, "stock-name"), /expected 1–200 characters/);
    assert.match(fieldErrors(html, "stock-assetClass"), /expected equity or crypto/);
    assert.match(fieldErrors(html, "stock-currency"), /three-letter ISO 4217 code/);
    assert.equal(fieldErrors(html, "stock-exchange"), "");
    assert.match(html, /id="stock-symbol" name="symbol" value="no spaces!"/);
    assert.match(
      html,
      /aria-invalid="true" aria-describedby="stock-symbol-hint stock-symbol-errors"/,
    );
    assert.match(html, /value="&lt;script>x&lt;\/script>"/);
    assert.doesNotMatch(html, /<script>x/);
    assert.equal((await db.sql`select symbol from stock`).length, 0);
  }, { user: admin });
});

Deno.test("admin stocks: deactivating and activating", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const off = await submit(page, "/admin/stocks", "set-active", {
      symbol: "AAPL",
      active: "false",
    });
    assertFlashRedirect(off, "/admin/stocks", "deactivated");
    assert.equal((await getStock(db.sql, "AAPL"))?.active, false);
    const on = await submit(page, "/admin/stocks", "set-active", {
      symbol: "AAPL",
      active: "true",
    });
    assertFlashRedirect(on, "/admin/stocks", "activated");
    assert.equal((await getStock(db.sql, "AAPL"))?.active, true);
    const unknown = await submit(page, "/admin/stocks", "set-active", {
      symbol: "NOPE",
      active: "true",
    });
    assert.equal(unknown.status, 404);
  }, { user: admin });
});

Deno.test("admin stocks: the edit page saves a stock's description, not its symbol", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const form = await page("/admin/stocks/AAPL");
    assert.equal(form.status, 200);
    assert.match(form.html, /<h1>Edit AAPL<\/h1>/);
    assert.doesNotMatch(form.html, /name="symbol"/);
    assert.match(form.html, /id="stock-name" name="name" value="Apple Inc\."/);

    const saved = await submit(page, "/admin/stocks/AAPL", "save", {
      name: "Apple Inc.",
      exchange: "NASDAQ",
      aliases: "Apple, iPhone maker",
      assetClass: "equity",
      currency: "USD",
      symbol: "MSFT", // ignored: the symbol comes from the URL
    });
    assertFlashRedirect(saved, "/admin/stocks", "stock-saved");
    assert.deepEqual((await getStock(db.sql, "AAPL"))?.aliases, ["Apple", "iPhone maker"]);
    assert.equal(await getStock(db.sql, "MSFT"), null);

    const invalid = await submit(page, "/admin/stocks/AAPL", "save", {
      name: "Apple Inc.",
      exchange: "",
      assetClass: "equity",
      currency: "USD",
    });
    assert.equal(invalid.status, 422);
    assert.match(fieldErrors(invalid.html, "stock-exchange"), /expected 1–40 characters/);

    assert.equal((await page("/admin/stocks/NOPE")).status, 404);
  }, { user: admin });
});

Deno.test("admin stocks: adding and removing news feeds", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const feed = { url: "https://feeds.example.com/apple.xml", title: "Apple", symbol: "AAPL" };
    assertFlashRedirect(
      await submit(page, "/admin/stocks", "add-feed", feed),
      "/admin/stocks",
      "feed-added",
    );
    assertFlashRedirect(
      await submit(page, "/admin/stocks", "add-feed", feed),
      "/admin/stocks",
      "feed-exists",
    );
    const [stored] = await listFeeds(db.sql);
    assert.equal(stored.url, feed.url);
    assert.equal(stored.stockId, (await getStock(db.sql, "AAPL"))?.id);

    const bad = await submit(page, "/admin/stocks", "add-feed", {
      url: "ftp://feeds.example.com",
      title: "",
      symbol: "",
    });
    assert.equal(bad.status, 422);
    assert.match(fieldErrors(bad.html, "feed-url"), /expected an http\(s\) address/);
    const unknownStock = await submit(page, "/admin/stocks", "add-feed", {
      url: "https://feeds.example.com/x.xml",
      symbol: "NOPE",
    });
    assert.match(fieldErrors(unknownStock.html, "feed-symbol"), /no stock NOPE/);

    const removed = await submit(page, "/admin/stocks", "remove-feed", { id: String(stored.id) });
    assertFlashRedirect(removed, "/admin/stocks", "feed-removed");
    assert.deepEqual(await listFeeds(db.sql), []);
  }, { user: admin });
});

Deno.test("admin stocks: an unknown form action is a 400 and a visitor is sent to sign in", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const { html } = await page("/admin/stocks");
    const unknown = await postForm(page, "/admin/stocks", { csrf: csrfOf(html), intent: "drop" });
    assert.equal(unknown.status, 400);
  }, { user: admin });
  await withPages({ db }, async (page) => {
    const visitor = await page("/admin/stocks");
    assert.equal(visitor.status, 303);
    assert.match(visitor.headers.get("location") ?? "", /^\/login\?/);
  });
});
