// Guards the admin API with a bearer token (ADMIN_TOKEN) until user accounts and roles arrive
// (issue 7). Without a configured token every admin request is refused: never open by default.
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import type { AppEnv } from "./env.ts";
import { errorBody } from "./errors.ts";

/** Equal strings, compared in time independent of where they differ (digests have one length). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

async function bearerMatches(header: string | undefined, token: string): Promise<boolean> {
  const match = /^Bearer (\S+)$/.exec(header ?? "");
  return match !== null && await sameSecret(match[1], token);
}

export function requireAdminToken(config: Pick<Config, "adminToken">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const message = !config.adminToken
      ? "The admin API is disabled: set ADMIN_TOKEN to enable it"
      : await bearerMatches(c.req.header("Authorization"), config.adminToken)
      ? null
      : "A valid admin bearer token is required";
    if (message === null) return await next();
    return c.json(errorBody("unauthorized", message), 401, {
      "WWW-Authenticate": 'Bearer realm="craveny-admin"',
    });
  };
}
