// `deno task stocks …`: the operator's view of the universe and its news feeds (the admin pages
// arrive with authentication in issue 7; this works from a shell today).
import type { AppContext } from "../lib/context.ts";
import { addFeed, deleteFeed, listFeeds } from "../lib/news/feeds_store.ts";
import { getStock, listStocks, setStockActive, upsertStocks } from "../lib/stocks/store.ts";
import { type Command, one, options, runCommand, runTask, UsageError } from "./cli.ts";

const usage = `usage: deno task stocks COMMAND

  list [--all]                      active stocks (--all: inactive ones too)
  add SYMBOL --name NAME --exchange EXCHANGE [--alias ALIAS]… [--crypto] [--currency USD]
                                    add a stock, or update its description
  activate SYMBOL | deactivate SYMBOL
                                    start or stop crawling and predicting a stock
  feeds                             the news feeds the crawl job polls (SOURCES=…,feeds)
  add-feed URL [--symbol SYMBOL] [--title TITLE]
                                    poll a feed; --symbol: every item is about that stock
  remove-feed ID                    stop polling a feed and forget it`;

const COMMANDS: Record<string, Command> = {
  async list(app, args) {
    const { values } = options(args, { all: { type: "boolean" } });
    const stocks = await listStocks(app.db.sql, { activeOnly: !values.all });
    return stocks.map((stock) =>
      [
        stock.symbol.padEnd(10),
        stock.exchange.padEnd(8),
        (stock.active ? "active" : "inactive").padEnd(9),
        stock.name,
        stock.aliases.length ? `(aliases: ${stock.aliases.join(", ")})` : "",
      ].join(" ").trimEnd()
    ).join("\n");
  },
  async add(app, args) {
    const { values, positionals } = options(args, {
      name: { type: "string" },
      exchange: { type: "string" },
      alias: { type: "string", multiple: true },
      crypto: { type: "boolean" },
      currency: { type: "string" },
    });
    const symbol = one(positionals, "SYMBOL");
    if (!values.name || !values.exchange) throw new UsageError("add needs --name and --exchange");
    const [stock] = await upsertStocks(app.db.sql, [{
      symbol,
      name: values.name,
      exchange: values.exchange,
      aliases: values.alias ?? [],
      assetClass: values.crypto ? "crypto" : "equity",
      currency: values.currency?.toUpperCase(),
    }]);
    return `${stock.symbol}: ${stock.name} (${stock.exchange}, ${stock.assetClass}, ${
      stock.active ? "active" : "inactive"
    })`;
  },
  activate: (app, args) => setActive(app, args, true),
  deactivate: (app, args) => setActive(app, args, false),
  async feeds(app) {
    const feeds = await listFeeds(app.db.sql, { activeOnly: false });
    if (feeds.length === 0) return "no feeds";
    return feeds.map((feed) =>
      `${String(feed.id).padStart(4)} ${feed.url}${
        feed.lastError ? `  (last error: ${feed.lastError})` : ""
      }`
    ).join("\n");
  },
  async "add-feed"(app, args) {
    const { values, positionals } = options(args, {
      symbol: { type: "string" },
      title: { type: "string" },
    });
    const url = one(positionals, "URL");
    const stock = values.symbol ? await getStock(app.db.sql, values.symbol) : null;
    if (values.symbol && !stock) throw new UsageError(`no stock ${values.symbol}`);
    const { feed, created } = await addFeed(app.db.sql, {
      url,
      title: values.title ?? null,
      stockId: stock?.id ?? null,
    });
    return `${created ? "added" : "already there"}: feed ${feed.id} ${feed.url}`;
  },
  async "remove-feed"(app, args) {
    const id = Number(one(options(args, {}).positionals, "ID"));
    if (!Number.isSafeInteger(id)) throw new UsageError("ID must be a feed number");
    return await deleteFeed(app.db.sql, id) ? `removed feed ${id}` : `no feed ${id}`;
  },
};

async function setActive(app: AppContext, args: string[], active: boolean): Promise<string> {
  const symbol = one(options(args, {}).positionals, "SYMBOL");
  const stock = await setStockActive(app.db.sql, symbol, active);
  if (!stock) throw new UsageError(`no stock ${symbol}`);
  return `${stock.symbol} is now ${active ? "active" : "inactive"}`;
}

if (import.meta.main) runTask(usage, (args) => runCommand(COMMANDS, args));
