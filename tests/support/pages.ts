// The app's own pages (routes/, islands/) through the real manifest, in process, on a test context
// (context.ts): the given adapters, throwaway ones for the rest.
import type { AppContext } from "../../lib/context.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import manifest from "../../fresh.gen.ts";
import { openTestContext } from "./context.ts";

/** Renders one path: its status and HTML. */
export type GetPage = (path: string) => Promise<{ status: number; html: string }>;

/** Runs `run` with the pages of an app on `given` adapters (and config), then closes them. */
export async function withPages(
  given: Partial<AppContext>,
  run: (get: GetPage) => Promise<void>,
): Promise<void> {
  const log = given.log ?? createLogger("error", () => {});
  await using app = await openTestContext({ ...given, log });
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
  }
}
