// The market sources the crawl job uses, in the order SOURCES lists them.
import type { Cache } from "../cache/port.ts";
import type { Config, SourceName } from "../config.ts";
import type { FetchDeps } from "../net/http_fetch.ts";
import type { MarketSource } from "./port.ts";
import { CoinGeckoSource } from "./source_coingecko.ts";
import { StooqSource } from "./source_stooq.ts";
import { YahooSource } from "./source_yahoo.ts";

export interface MarketSourceDeps {
  cache: Cache;
  /** Base URL per web source (tests point them at a loopback server). */
  baseUrls?: Partial<Record<"yahoo" | "stooq" | "coingecko", string>>;
  /** I/O seams handed to every web source. */
  fetch?: FetchDeps;
}

type Builder = (deps: MarketSourceDeps) => MarketSource;

const WEB_SOURCES: Partial<Record<SourceName, Builder>> = {
  yahoo: (deps) =>
    new YahooSource({ cache: deps.cache, baseUrl: deps.baseUrls?.yahoo, deps: deps.fetch }),
  stooq: (deps) =>
    new StooqSource({ cache: deps.cache, baseUrl: deps.baseUrls?.stooq, deps: deps.fetch }),
  coingecko: (deps) =>
    new CoinGeckoSource({ cache: deps.cache, baseUrl: deps.baseUrls?.coingecko, deps: deps.fetch }),
};

/**
 * One adapter per market source named in `config.sources`, in that order (the crawl job asks them
 * in turn for each stock). `extra` supplies adapters built elsewhere (the simulator): each is used
 * where `config.sources` names it and replaces a built-in adapter of the same name; an extra
 * adapter that `config.sources` does not name is left out. Names that are not market sources
 * ("feeds") are skipped.
 */
export function createMarketSources(
  config: Pick<Config, "sources">,
  deps: MarketSourceDeps,
  extra: MarketSource[] = [],
): MarketSource[] {
  const sources: MarketSource[] = [];
  for (const name of config.sources) {
    const given = extra.find((source) => source.name === name);
    const build = WEB_SOURCES[name];
    if (given) sources.push(given);
    else if (build) sources.push(build(deps));
  }
  return sources;
}
