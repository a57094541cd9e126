// The offline market: deterministic daily bars and headlines from a seed, so Craveny runs and
// evaluates end to end with no network. Pure: no clock, no I/O.
//
// Prices. Each stock follows a random walk of daily log returns from a fixed origin day:
//   r = drift + regime · (beta · σm · M + σs · S + σi · E)
// with M the market factor, S its sector's factor and E its own noise, all N(0, 1) drawn from
// streams keyed by (seed, factor, day) — so stocks of one sector move together, all stocks share
// the market, and nothing depends on which other stocks are simulated. `regime` is a market-wide
// two-state Markov chain (calm/turbulent) that clusters volatility. Per-stock constants (beta,
// σi, drift, starting price, volume) come from hashing (seed, symbol). Walking from the origin
// every time makes a bar depend only on (seed, symbol, date): extending a range or adding stocks
// never changes a bar already served.
//
// Headlines. On each stock-day a headline appears with a fixed probability. Its tone is chosen
// after the path — including the next four days — is known: z is the realised log return over
// days t+1..t+4 divided by its expected standard deviation, and a non-neutral headline is positive
// with probability logistic(strength · z). So tone carries a genuine but noisy signal about the
// future, which a model reading headlines can exploit, but only modestly. A headline is published
// on day t between 06:30 and 13:00 New York time (00:01–23:00 UTC for crypto): after the bar of
// day t−1 closed and before the bar of day t closes, even on 13:00 early-close days.

import type { NewsEntry } from "../news/port.ts";
import type { AssetClass, Stock } from "../stocks/stock.ts";
import { dateOfDay, dayNumber, isTradingDay, newYorkOffsetHours } from "./calendar.ts";
import type { DailyBar } from "./port.ts";
import { hashKey, type Random, streamOf } from "./random.ts";
import { type Tone, type Voice, writeHeadline } from "./simulator_text.ts";

export type { Tone } from "./simulator_text.ts";

/** The first simulated trading day: every path starts here, whatever range is asked for. */
export const ORIGIN = "2010-01-04";
const ORIGIN_DAY = dayNumber(ORIGIN);

export const SIMULATOR_SOURCE = "Craveny Simulator";
export const SIMULATOR_NEWS_ORIGIN = "https://simulator.craveny.invalid/news/";

/** The model's parameters (daily, in log-return units). Changing any of them changes all data. */
export const MODEL = {
  /** Market factor volatility. */
  marketVol: 0.009,
  /** Sector factor volatility (equities in a known sector). */
  sectorVol: 0.007,
  /** Range of stock-specific volatility for equities in a known sector / in "other". */
  idioVol: [0.008, 0.016],
  otherIdioVol: [0.012, 0.022],
  /** Range of market betas for single stocks. */
  beta: [0.75, 1.3],
  /** Range of per-stock drift (0 to ~12.6% a year). */
  drift: [0, 0.0005],
  /** Index funds: the market itself plus tracking noise. */
  indexIdioVol: 0.0015,
  /** Crypto: a weak market link, a strong common crypto factor, large own noise. */
  crypto: { beta: 0.4, factorVol: 0.025, idioVol: [0.012, 0.025], drift: [0, 0.0008] },
  /** Volatility multipliers and daily switching probabilities of the market regime. */
  regime: { calm: 0.85, turbulent: 1.9, calmToTurbulent: 0.015, turbulentToCalm: 0.08 },
  /** Open gap and intraday excursion, in units of the day's volatility. */
  gap: 0.3,
  wick: 0.5,
  /** Probability of a headline per stock and trading day. */
  newsProbability: 0.2,
  /** Share of headlines whose tone is neutral (unrelated to the future). */
  neutralShare: 0.3,
  /** Logistic slope of P(positive) on the standardised 3-day forward return. */
  signalStrength: 0.8,
  /**
   * Days ahead the tone is about. Four, not fewer: a prediction as of day t's close is scored from
   * day t+1's close (DESIGN §5), so only days t+2 on can be acted on.
   */
  signalHorizon: 4,
} as const;

export type Sector =
  | "technology"
  | "communication"
  | "financials"
  | "energy"
  | "healthcare"
  | "consumer"
  | "industrials"
  | "index"
  | "crypto"
  | "other";

// Sector of well-known symbols (the default universe and more); the rest are "other".
const SECTOR_MEMBERS: [Sector, string][] = [
  ["technology", "AAPL MSFT NVDA AMD INTC ORCL CRM ADBE AVGO CSCO IBM QCOM TSM TXN MU"],
  ["communication", "GOOGL GOOG META NFLX DIS T VZ CMCSA"],
  ["financials", "JPM BAC WFC GS MS C V MA BRK-B BRK.B AXP BLK"],
  ["energy", "XOM CVX COP SLB OXY EOG PSX"],
  ["healthcare", "JNJ PFE MRK UNH ABBV LLY TMO ABT AMGN"],
  ["consumer", "AMZN TSLA WMT KO PEP MCD NKE HD COST PG SBUX TGT"],
  ["industrials", "BA CAT GE HON UPS LMT RTX DE MMM"],
  ["index", "SPY QQQ DIA IWM VOO VTI ^GSPC ^DJI ^IXIC"],
];

const SECTOR_OF = new Map<string, Sector>(
  SECTOR_MEMBERS.flatMap(([sector, symbols]) =>
    symbols.split(" ").map((symbol) => [symbol, sector])
  ),
);

/** The simulator's sector of a symbol: crypto by asset class, else the table, else "other". */
export function sectorOf(symbol: string, assetClass: AssetClass): Sector {
  if (assetClass === "crypto") return "crypto";
  return SECTOR_OF.get(symbol.toUpperCase()) ?? "other";
}

interface Profile {
  sector: Sector;
  assetClass: AssetClass;
  beta: number;
  sectorVol: number;
  idioVol: number;
  drift: number;
  startPrice: number;
  baseVolume: number;
  sectorKey: number;
  stockKey: number;
  newsKey: number;
}

const MARKET_KEY = hashKey("market");
const REGIME_KEY = hashKey("regime");

function profileOf(seed: number, symbol: string, assetClass: AssetClass): Profile {
  const sector = sectorOf(symbol, assetClass);
  const random = streamOf(seed, "profile", symbol);
  const keys = {
    sectorKey: hashKey("sector", sector),
    stockKey: hashKey("stock", symbol),
    newsKey: hashKey("news", symbol),
  };
  // Always the same number of draws, in the same order, whatever the branch.
  const [u1, u2, u3, u4, u5] = [1, 2, 3, 4, 5].map(() => random.next());
  const between = (range: readonly number[], u: number) => range[0] + (range[1] - range[0]) * u;
  const logBetween = (low: number, high: number, u: number) =>
    Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * u);
  if (sector === "crypto") {
    return {
      sector,
      assetClass,
      beta: MODEL.crypto.beta,
      sectorVol: MODEL.crypto.factorVol,
      idioVol: between(MODEL.crypto.idioVol, u1),
      drift: between(MODEL.crypto.drift, u2),
      startPrice: logBetween(1, 1000, u4),
      baseVolume: logBetween(1e4, 1e7, u5),
      ...keys,
    };
  }
  if (sector === "index") {
    return {
      sector,
      assetClass,
      beta: 1,
      sectorVol: 0,
      idioVol: MODEL.indexIdioVol,
      drift: between(MODEL.drift, u2),
      startPrice: logBetween(80, 400, u4),
      baseVolume: logBetween(2e7, 1e8, u5),
      ...keys,
    };
  }
  return {
    sector,
    assetClass,
    beta: between(MODEL.beta, u3),
    // Unknown symbols share no sector factor: they would otherwise look like one big sector.
    sectorVol: sector === "other" ? 0 : MODEL.sectorVol,
    idioVol: between(sector === "other" ? MODEL.otherIdioVol : MODEL.idioVol, u1),
    drift: between(MODEL.drift, u2),
    startPrice: logBetween(10, 300, u4),
    baseVolume: logBetween(1e6, 5e7, u5),
    ...keys,
  };
}

/** One simulated trading day, in full precision (rounded only when turned into a bar). */
interface PathDay {
  day: number;
  logReturn: number;
  /** Standard deviation the day's log return was drawn with (regime included). */
  sigma: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Market-wide series per calendar day from the origin, shared by every stock of one call. */
interface Tape {
  seed: number;
  lastDay: number;
  regime: Float64Array;
  market: Float64Array;
  sectors: Map<number, Float64Array>;
}

function marketTape(seed: number, lastDay: number): Tape {
  const { calm, turbulent, calmToTurbulent, turbulentToCalm } = MODEL.regime;
  const length = Math.max(0, lastDay - ORIGIN_DAY + 1);
  const regime = new Float64Array(length);
  const market = new Float64Array(length);
  let isTurbulent = false;
  for (let i = 0; i < length; i++) {
    if (i > 0) {
      const u = streamOf(seed, REGIME_KEY, ORIGIN_DAY + i).next();
      isTurbulent = isTurbulent ? u >= turbulentToCalm : u < calmToTurbulent;
    }
    regime[i] = isTurbulent ? turbulent : calm;
    market[i] = streamOf(seed, MARKET_KEY, ORIGIN_DAY + i).normal();
  }
  return { seed, lastDay, regime, market, sectors: new Map() };
}

function sectorSeries(tape: Tape, sectorKey: number): Float64Array {
  let series = tape.sectors.get(sectorKey);
  if (!series) {
    series = new Float64Array(tape.market.length);
    for (let i = 0; i < series.length; i++) {
      series[i] = streamOf(tape.seed, sectorKey, ORIGIN_DAY + i).normal();
    }
    tape.sectors.set(sectorKey, series);
  }
  return series;
}

function simulatePath(tape: Tape, profile: Profile): PathDay[] {
  const baseSigma = Math.sqrt(
    (profile.beta * MODEL.marketVol) ** 2 + profile.sectorVol ** 2 + profile.idioVol ** 2,
  );
  const sectors = profile.sectorVol > 0 ? sectorSeries(tape, profile.sectorKey) : null;
  const path: PathDay[] = [];
  let close = profile.startPrice;
  for (let day = ORIGIN_DAY; day <= tape.lastDay; day++) {
    if (!isTradingDay(day, profile.assetClass)) continue;
    const i = day - ORIGIN_DAY;
    const regime = tape.regime[i];
    const own = streamOf(tape.seed, profile.stockKey, day);
    const shock = profile.beta * MODEL.marketVol * tape.market[i] +
      (sectors ? profile.sectorVol * sectors[i] : 0) + profile.idioVol * own.normal();
    const logReturn = profile.drift + regime * shock;
    const sigma = regime * baseSigma;
    const previous = close;
    close = previous * Math.exp(logReturn);
    const open = previous * Math.exp(MODEL.gap * sigma * own.normal());
    const high = Math.max(open, close) * Math.exp(MODEL.wick * sigma * Math.abs(own.normal()));
    const low = Math.min(open, close) * Math.exp(-MODEL.wick * sigma * Math.abs(own.normal()));
    // Busier on big moves and in turbulent markets, with lognormal noise.
    const volume = profile.baseVolume * regime *
      Math.exp(0.3 * own.normal() + 0.4 * (Math.abs(logReturn) / sigma - 0.8));
    path.push({ day, logReturn, sigma, open, high, low, close, volume });
  }
  return path;
}

// Seven significant digits: cents for prices in the hundreds, still precise for sub-dollar coins.
// Rounding is monotone, so high ≥ max(open, close) and low ≤ min(open, close) survive it.
function roundPrice(value: number): number {
  return Number(value.toPrecision(7));
}

function toBar(day: PathDay): DailyBar {
  const close = roundPrice(day.close);
  return {
    date: dateOfDay(day.day),
    open: roundPrice(day.open),
    high: roundPrice(day.high),
    low: roundPrice(day.low),
    close,
    // No splits or dividends in the simulated world.
    adjClose: close,
    volume: Math.round(day.volume),
  };
}

/** Daily bars of `stock` from `from` to `to` inclusive (nothing before ORIGIN), oldest first. */
export function simulateBars(seed: number, stock: Stock, from: string, to: string): DailyBar[] {
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < Math.max(first, ORIGIN_DAY)) return [];
  const profile = profileOf(seed, stock.symbol, stock.assetClass);
  return simulatePath(marketTape(seed, last), profile).filter((day) => day.day >= first).map(toBar);
}

export interface SimulatedHeadline {
  entry: NewsEntry;
  symbol: string;
  /** The trading day the headline belongs to (published before that day's close). */
  date: string;
  /** The tone the simulator chose (not part of the entry: a model must read the words). */
  tone: Tone;
}

function voiceOf(sector: Sector): Voice {
  return sector === "crypto" ? "crypto" : sector === "index" ? "index" : "company";
}

function chooseTone(random: Random, path: PathDay[], index: number): Tone {
  let forward = 0;
  let variance = 0;
  for (let k = 1; k <= MODEL.signalHorizon; k++) {
    forward += path[index + k].logReturn;
    variance += path[index + k].sigma ** 2;
  }
  const z = forward / Math.sqrt(variance);
  // Both draws happen whatever the outcome, so the stream's later draws stay aligned.
  const neutral = random.next() < MODEL.neutralShare;
  const positive = random.next() < 1 / (1 + Math.exp(-MODEL.signalStrength * z));
  return neutral ? "neutral" : positive ? "positive" : "negative";
}

function publishedAt(random: Random, date: string, assetClass: AssetClass): Date {
  if (assetClass === "crypto") {
    // 00:01–23:00 UTC: strictly after the previous day's close (00:00Z), before this one's.
    const minutes = 1 + Math.floor(random.next() * 23 * 60);
    return new Date(dayNumber(date) * 86_400_000 + minutes * 60_000);
  }
  const day = dayNumber(date);
  const minutes = 6 * 60 + 30 + Math.floor(random.next() * 390); // 06:30–12:59 New York time
  return new Date((day * 1440 + minutes - newYorkOffsetHours(day) * 60) * 60_000);
}

// Enough calendar days to hold `signalHorizon` more trading days after any day (long weekends
// with a holiday included).
const LOOKAHEAD_DAYS = 14;

/**
 * Headlines about the stocks of `universe` on trading days from `from` to `to` inclusive, sorted
 * by publication time then symbol. Each stock's headlines depend only on (seed, its symbol).
 */
export function simulateHeadlines(
  seed: number,
  universe: readonly Stock[],
  from: string,
  to: string,
): SimulatedHeadline[] {
  const first = Math.max(dayNumber(from), ORIGIN_DAY);
  const last = dayNumber(to);
  const headlines: SimulatedHeadline[] = [];
  if (last < first) return headlines;
  const tape = marketTape(seed, last + LOOKAHEAD_DAYS);
  for (const stock of universe) {
    const profile = profileOf(seed, stock.symbol, stock.assetClass);
    const path = simulatePath(tape, profile);
    for (let i = 0; i < path.length && path[i].day <= last; i++) {
      if (path[i].day < first) continue;
      const random = streamOf(seed, profile.newsKey, path[i].day);
      if (random.next() >= MODEL.newsProbability) continue;
      const tone = chooseTone(random, path, i);
      const date = dateOfDay(path[i].day);
      const time = publishedAt(random, date, stock.assetClass);
      const text = writeHeadline(
        random,
        stock,
        voiceOf(profile.sector),
        profile.sector,
        tone,
        date,
      );
      headlines.push({
        entry: {
          url: `${SIMULATOR_NEWS_ORIGIN}${encodeURIComponent(stock.symbol.toLowerCase())}-${date}`,
          title: text.title,
          summary: text.summary,
          publishedAt: time,
          source: SIMULATOR_SOURCE,
          language: "en",
          symbols: [stock.symbol],
        },
        symbol: stock.symbol,
        date,
        tone,
      });
    }
  }
  const time = (headline: SimulatedHeadline) => headline.entry.publishedAt?.getTime() ?? 0;
  return headlines.sort((a, b) =>
    time(a) - time(b) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)
  );
}
