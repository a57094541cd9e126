// Where a stock's pages live: one spelling for pages, islands and the links in alerts.

/** The public page of `symbol`. */
export function stockPath(symbol: string): string {
  return `/stocks/${encodeURIComponent(symbol)}`;
}

/** The admin console's page of `symbol`. */
export function adminStockPath(symbol: string): string {
  return `/admin${stockPath(symbol)}`;
}
