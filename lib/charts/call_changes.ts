// Where a model changed its mind about a stock: of its daily calls at one horizon, oldest first,
// the ones whose direction differs from the call before (a turn to flat is no signal, but the
// next up or down call after it is), and those as markers on the stock's price chart. Marking only
// the turns keeps the chart readable: a model calls every day, but turns rarely.
import type { Direction } from "../predict/types.ts";
import type { ChartMarker } from "./series.ts";

export interface Call {
  direction: Direction;
}

export function callChanges<C extends Call>(
  calls: readonly C[],
): (C & { direction: "up" | "down" })[] {
  const changes: (C & { direction: "up" | "down" })[] = [];
  let previous: Direction | null = null;
  for (const call of calls) {
    const { direction } = call;
    if (direction !== previous && direction !== "flat") changes.push({ ...call, direction });
    previous = direction;
  }
  return changes;
}

/**
 * `changes` as markers on a chart whose points are bars that closed at `closedAt`: a call is made
 * as of a bar's close, so it marks that bar. Calls as of no charted close are left out.
 */
export function callMarkers<C extends Call & { asOf: Date }>(
  closedAt: readonly Date[],
  changes: readonly (C & { direction: "up" | "down" })[],
  label: (call: C & { direction: "up" | "down" }) => string,
): ChartMarker[] {
  const index = new Map(closedAt.map((at, i) => [at.getTime(), i]));
  return changes.flatMap((call) => {
    const at = index.get(call.asOf.getTime());
    return at === undefined ? [] : [{ index: at, direction: call.direction, label: label(call) }];
  });
}
