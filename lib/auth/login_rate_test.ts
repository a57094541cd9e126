import assert from "node:assert/strict";
import { openTestCaches } from "../../tests/support/cache.ts";
import { HttpError } from "../http/errors.ts";
import { createLogger } from "../log.ts";
import { LOGIN_RATE, takeLoginAttempt } from "./login_rate.ts";

const quiet = createLogger("error", () => {});

function refused(error: unknown): boolean {
  return error instanceof HttpError && error.status === 429 &&
    Number(error.headers["Retry-After"]) >= 1;
}

Deno.test("the limits: 5 sign-ins a minute per account, 20 per address", () => {
  assert.deepEqual(LOGIN_RATE.account, { capacity: 5, refillPerSecond: 5 / 60 });
  assert.deepEqual(LOGIN_RATE.ip, { capacity: 20, refillPerSecond: 20 / 60 });
});

for (const kind of openTestCaches()) {
  Deno.test(`login attempts (${kind.name} cache): per account, then per address`, async () => {
    const [cache] = await kind.open(1);
    try {
      const attempt = (email: string, ip: string) => takeLoginAttempt(cache, quiet, { email, ip });
      for (let i = 0; i < 5; i++) await attempt("ada@example.com", `192.0.2.${i}`);
      await assert.rejects(attempt("ada@example.com", "192.0.2.99"), refused);
      await attempt("bob@example.com", "192.0.2.99");

      for (let i = 0; i < 20; i++) await attempt(`guess-${i}@example.com`, "198.51.100.7");
      await assert.rejects(attempt("guess-20@example.com", "198.51.100.7"), refused);
      await attempt("guess-20@example.com", "198.51.100.8");
    } finally {
      await cache.close();
    }
  });
}
