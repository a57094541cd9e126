// The app's own pages (routes/, islands/) through the real manifest, in process, on a test context
// (context.ts): the given adapters, throwaway ones for the rest.
import { ACCESS_COOKIE } from "../../lib/auth/cookies.ts";
import { startSession } from "../../lib/auth/sessions.ts";
import type { AuthUser } from "../../lib/auth/user.ts";
import type { AppContext } from "../../lib/context.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { initialState } from "../../lib/state.ts";
import manifest from "../../fresh.gen.ts";
import { openTestContext } from "./context.ts";

/** A rendered page: its status, HTML and headers (a redirect's Location). */
export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
}

/** Requests one path: a GET, or what `init` says (a form post). */
export type GetPage = (path: string, init?: RequestInit) => Promise<PageResponse>;

export interface PagesOptions {
  /** Signed in as this account (stored in the database given): every request carries its login. */
  user?: AuthUser;
}

/** Runs `run` with the pages of an app on `given` adapters (and config), then closes them. */
export async function withPages(
  given: Partial<AppContext>,
  run: (get: GetPage) => Promise<void>,
  options: PagesOptions = {},
): Promise<void> {
  const log = given.log ?? createLogger("error", () => {});
  await using app = await openTestContext({ ...given, log });
  const fresh = await createFreshHandler(manifest, { log });
  try {
    // A real session, so the pages see the user exactly as routes/_middleware.ts finds them.
    const session = options.user &&
      await startSession(app, options.user, { ip: "127.0.0.1", userAgent: null });
    await run(async (path, init) => {
      const headers = new Headers(init?.headers);
      if (session) headers.set("Cookie", `${ACCESS_COOKIE}=${session.accessToken}`);
      const response = await fresh.handle(
        new Request(`http://localhost${path}`, { ...init, headers }),
        initialState(app, "test", "127.0.0.1"),
      );
      return { status: response.status, html: await response.text(), headers: response.headers };
    });
  } finally {
    await fresh.close();
  }
}
