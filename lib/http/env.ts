// The Hono environment every Craveny app, router and middleware shares, so `c.get` is typed.

export interface AppEnv {
  Variables: {
    /** Set by lib/http/request_id.ts for every request. */
    requestId: string;
    /** The body limit in force, set by lib/http/body_limit.ts (readJson falls back to a default). */
    bodyLimitBytes?: number;
  };
}
