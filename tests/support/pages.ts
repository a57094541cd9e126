// The app's own pages (routes/, islands/) through the real manifest, in process: a memory cache,
// the given database, and a logger that discards its lines.
import { MemoryCache } from "../../lib/cache/memory.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AppContext } from "../../lib/context.ts";
import type { Database } from "../../lib/db/port.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import manifest from "../../fresh.gen.ts";

/** Renders one path: its status and HTML. */
export type GetPage = (path: string) => Promise<{ status: number; html: string }>;

/** Runs `run` with the pages of an app configured from `env`, then closes them. */
export async function withPages(
  db: Database,
  env: Record<string, string>,
  run: (get: GetPage) => Promise<void>,
): Promise<void> {
  const log = createLogger("debug", () => {});
  const cache = new MemoryCache();
  const app: AppContext = { config: loadConfig(env), db, cache, log };
  const fresh = await createFreshHandler(manifest, { log });
  try {
    await run(async (path) => {
      const response = await fresh.handle(new Request(`http://localhost${path}`), {
        app,
        requestId: "test",
      });
      return { status: response.status, html: await response.text() };
    });
  } finally {
    await fresh.close();
    await cache.close();
  }
}
