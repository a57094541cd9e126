// Accounts and sign-ins for tests: users are created through the same account code as
// `deno task user`, and signed in through the real POST /api/auth/login.
import { createAccount } from "../../lib/auth/accounts.ts";
import type { Role } from "../../lib/auth/user.ts";
import type { UserAccount } from "../../lib/auth/user_store.ts";
import type { AppContext } from "../../lib/context.ts";
import type { TestApp } from "./app.ts";

export const TEST_PASSWORD = "correct horse battery staple";

export interface TestUser extends UserAccount {
  password: string;
}

export async function createTestUser(
  app: Pick<AppContext, "db">,
  options: { email?: string; role?: Role; password?: string; displayName?: string } = {},
): Promise<TestUser> {
  const role = options.role ?? "investor";
  const password = options.password ?? TEST_PASSWORD;
  const email = options.email ?? `${role}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const account = await createAccount(app.db.sql, {
    email,
    password,
    role,
    displayName: options.displayName,
  });
  return { ...account, password };
}

/** A session as a test client holds it. */
export interface TestSession {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
  /** A Cookie header with the session cookies, as a browser would send them to /api/auth. */
  cookie: string;
}

/** `name=value` pairs of a response's Set-Cookie headers, as one Cookie header. */
export function cookieHeader(response: Response): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

/** Signs in through the API (in process); throws unless it answers 200. */
export async function signIn(
  app: TestApp,
  user: { email: string; password: string },
): Promise<TestSession> {
  const response = await app.app.fetch(
    new Request("http://localhost/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        email: user.email,
        password: user.password,
        includeRefreshToken: true,
      }),
    }),
  );
  if (response.status !== 200) {
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  }
  const body = await response.json();
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    csrfToken: body.csrfToken,
    cookie: cookieHeader(response),
  };
}

/** Headers of a JSON API request with a bearer token. */
export function bearerHeaders(accessToken: string): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" };
}
