// The data version: one value in the cache port that changes whenever something public pages show
// has changed — a job finished having written (lib/jobs/runner.ts), an admin edited, the app
// started with new code. Rendered pages are cached and validated (ETag) under it
// (lib/http/page_cache.ts), so a bump invalidates every page in every process at once.
//
// A fresh random token rather than a counter: the port has no atomic increment, and a token never
// comes back — after a cache flush a counter would restart at 1 and could match a page or an ETag
// rendered from older data. Two processes bumping at once both change it; either value will do.
import type { Cache } from "./port.ts";

const KEY = "data-version";

/** The current data version; null when none is set yet or the cache can't be reached. */
export function readDataVersion(cache: Cache): Promise<string | null> {
  return cache.get(KEY);
}

/** Marks all cached pages stale; returns the new version. */
export async function bumpDataVersion(cache: Cache): Promise<string> {
  const random = crypto.getRandomValues(new Uint32Array(1))[0];
  const version = `${Date.now().toString(36)}${random.toString(36).padStart(7, "0")}`;
  await cache.set(KEY, version);
  return version;
}
