// A live prediction as it travels to the browser: in the dashboard's live list (island props) and
// in the prediction stream's events. Plain JSON (the instant as ISO text); the island reads it with
// the pure helpers below, which import nothing that would pull server code into its bundle.
import { type Direction, DIRECTIONS } from "../predict/types.ts";

/** Where the stream is served (lib/api/stream.ts) and the name of its events. */
export const PREDICTION_STREAM_PATH = "/api/stream/predictions";
export const PREDICTION_EVENT = "prediction";

export interface LiveSignal {
  id: number;
  model: string;
  symbol: string;
  /** ISO 8601 instant. */
  asOf: string;
  /** Trading days. */
  horizon: number;
  direction: Direction;
  /** 0 to 1. */
  confidence: number;
}

function isLiveSignal(value: unknown): value is LiveSignal {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Number.isSafeInteger(v.id) && typeof v.model === "string" &&
    typeof v.symbol === "string" && typeof v.asOf === "string" &&
    !Number.isNaN(Date.parse(v.asOf)) && Number.isInteger(v.horizon) &&
    (DIRECTIONS as readonly unknown[]).includes(v.direction) && typeof v.confidence === "number";
}

/** An event's data as a LiveSignal; null when it isn't one (the list then ignores it). */
export function parseLiveSignal(data: string): LiveSignal | null {
  try {
    const value: unknown = JSON.parse(data);
    return isLiveSignal(value) ? value : null;
  } catch {
    return null;
  }
}

/** `incoming` (oldest first) on top of `list`: the newest arrival first, no repeats, `limit` at most. */
export function prependSignals(
  list: readonly LiveSignal[],
  incoming: readonly LiveSignal[],
  limit: number,
): LiveSignal[] {
  const merged: LiveSignal[] = [];
  const seen = new Set<number>();
  for (const signal of [...incoming].reverse().concat(list)) {
    if (seen.has(signal.id)) continue;
    seen.add(signal.id);
    merged.push(signal);
  }
  return merged.slice(0, limit);
}
