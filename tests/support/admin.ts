// The admin bearer token of test apps, and requests that carry it.
import { loadConfig } from "../../lib/config.ts";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";

/** Config with the test admin token set (plus `env`). */
export function adminConfig(env: Record<string, string> = {}) {
  return loadConfig({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env });
}

/** Headers of an admin JSON request. */
export const ADMIN_HEADERS = {
  Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  "Content-Type": "application/json",
};
