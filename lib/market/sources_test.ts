import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { AAPL } from "../../tests/support/fixtures.ts";
import { archivePayload, loadArchivedPayload } from "../archive/raw_archive.ts";
import { archivedPayloads } from "../archive/store.ts";
import { MemoryCache } from "../cache/memory.ts";
import type { Stock } from "../stocks/stock.ts";
import type { MarketSource } from "./port.ts";
import { createMarketSources } from "./sources.ts";

const fake = (name: string): MarketSource => ({
  name,
  supports: () => true,
  fetch: () => Promise.reject(new Error("not used")),
  parse: () => ({ rows: [], rejected: [] }),
});

Deno.test("market sources follow SOURCES; the simulator comes from the caller", () => {
  const cache = new MemoryCache();
  const names = (sources: MarketSource[]) => sources.map((source) => source.name);
  const simulator = fake("simulator");
  assert.deepEqual(
    names(createMarketSources(
      { sources: ["simulator", "yahoo", "feeds", "coingecko", "stooq"] },
      { cache },
      [simulator],
    )),
    ["simulator", "yahoo", "coingecko", "stooq"],
  );
  // Not given: the simulator is skipped, "feeds" is a news source.
  assert.deepEqual(names(createMarketSources({ sources: ["simulator", "feeds"] }, { cache })), []);
  // An extra adapter replaces the built-in of its name; one SOURCES doesn't name is left out.
  const stooq = fake("stooq");
  const sources = createMarketSources({ sources: ["stooq"] }, { cache }, [stooq, simulator]);
  assert.deepEqual(sources, [stooq]);
});

Deno.test("each web source fetches from its base URL; payloads re-parse the same from the archive", async () => {
  const fixture = (name: string) => Deno.readFile(new URL(`./fixtures/${name}`, import.meta.url));
  const bodies: Record<string, Uint8Array<ArrayBuffer>> = {
    "/v8/finance/chart/AAPL": await fixture("yahoo_aapl.json"),
    "/q/d/l/": await fixture("stooq_aapl.csv"),
    "/api/v3/coins/bitcoin/market_chart": await fixture("coingecko_btc.json"),
  };
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const body = bodies[new URL(req.url).pathname];
    return body ? new Response(body) : new Response("not here", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const sources = createMarketSources(
    { sources: ["yahoo", "stooq", "coingecko"] },
    {
      cache: new MemoryCache(),
      baseUrls: { yahoo: base, stooq: base, coingecko: base },
      fetch: { now: () => Date.parse("2024-01-09T00:00:00Z") },
    },
  );
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-sources-");
  const stocks: Record<string, Stock> = {
    yahoo: AAPL,
    stooq: AAPL,
    coingecko: { ...AAPL, id: 2, symbol: "BTC-USD", assetClass: "crypto" },
  };
  for (const source of sources) {
    const stock = stocks[source.name];
    assert.ok(source.supports(stock), source.name);
    const payload = await source.fetch({ stock, from: "2024-01-02", to: "2024-01-08" });
    assert.ok(payload.url.startsWith(base), payload.url);
    const parsed = source.parse(payload, stock);
    assert.ok(parsed.rows.length >= 5, `${source.name}: ${parsed.rows.length} rows`);
    const archived = await archivePayload(db.sql, dir.path, payload, { kind: "prices" });
    const [row] = await Array.fromAsync(
      archivedPayloads(db.sql, { kind: "prices", source: source.name }),
    );
    assert.equal(row.id, archived.id);
    assert.deepEqual(source.parse(await loadArchivedPayload(dir.path, row), stock), parsed);
  }
});
