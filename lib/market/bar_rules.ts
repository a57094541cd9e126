// Checks every source applies to the bars it parsed, so that a bad row is rejected with a reason
// (never stored, never silently dropped) the same way whichever source delivered it.
import type { Rejection } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import type { DailyBar } from "./port.ts";
import { barClosedAt } from "./trading_time.ts";

/** A parsed bar and where it was in the payload (1-based line or entry). */
export interface Candidate {
  at: number;
  bar: DailyBar;
}

// Sources print rounded prices; a close a hair above the high is rounding, not a bad bar.
const TOLERANCE = 1e-9;

/** Why `bar` cannot be stored, or null when it is sound. */
export function barProblem(bar: DailyBar): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(bar.date)) return `bad date ${JSON.stringify(bar.date)}`;
  const prices = { open: bar.open, high: bar.high, low: bar.low, close: bar.close };
  for (const [name, value] of Object.entries(prices)) {
    if (!Number.isFinite(value)) return `${name} is not a number`;
    if (value <= 0) return `${name} ${value} is not positive`;
  }
  if (bar.high < bar.low) return `high ${bar.high} is below low ${bar.low}`;
  const slack = bar.high * TOLERANCE;
  for (const name of ["open", "close"] as const) {
    if (bar[name] > bar.high + slack || bar[name] < bar.low - slack) {
      return `${name} ${bar[name]} is outside low ${bar.low} – high ${bar.high}`;
    }
  }
  if (bar.adjClose !== null && !(Number.isFinite(bar.adjClose) && bar.adjClose > 0)) {
    return `adjusted close ${bar.adjClose} is not a positive number`;
  }
  if (bar.volume !== null && !(Number.isFinite(bar.volume) && bar.volume >= 0)) {
    return `volume ${bar.volume} is not a non-negative number`;
  }
  return null;
}

/**
 * The bars worth storing, sorted by date, and a rejection for each of the others:
 * - unsound bars (`barProblem`);
 * - bars whose session had not closed when the payload was fetched: a live, partial day would
 *   pose as a close and break the point-in-time rule;
 * - repeated dates: the later entry wins (sources append corrections after the original row).
 */
export function acceptBars(
  candidates: Candidate[],
  stock: Stock,
  fetchedAt: Date,
  rejected: Rejection[] = [],
): { rows: DailyBar[]; rejected: Rejection[] } {
  const byDate = new Map<string, Candidate>();
  const out = [...rejected];
  for (const candidate of candidates) {
    const { at, bar } = candidate;
    const problem = barProblem(bar);
    if (problem) {
      out.push({ at, reason: problem });
      continue;
    }
    const closedAt = barClosedAt(bar.date, stock.assetClass);
    if (closedAt > fetchedAt) {
      out.push({
        at,
        reason: `${bar.date} had not closed when fetched (closes ${closedAt.toISOString()})`,
      });
      continue;
    }
    const earlier = byDate.get(bar.date);
    if (earlier) {
      out.push({ at: earlier.at, reason: `${bar.date} repeated: entry ${at} replaces it` });
    }
    byDate.set(bar.date, candidate);
  }
  const rows = [...byDate.values()].map(({ bar }) => bar).sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0
  );
  return { rows, rejected: out.sort((a, b) => a.at - b.at) };
}
