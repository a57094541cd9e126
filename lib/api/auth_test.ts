// /api/auth over HTTP: sign-in, refresh with rotation and reuse detection, sign-out, who am I, and
// the bad input around them — each refused with the right status and logged without secrets.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { SignJWT } from "jose";
import { startTestApp, type TestApp } from "../../tests/support/app.ts";
import {
  bearerHeaders,
  cookieHeader,
  createTestUser,
  signIn,
  type TestSession,
} from "../../tests/support/auth.ts";
import { issueAccessToken } from "../auth/access_token.ts";
import { setAccountDisabled } from "../auth/accounts.ts";
import { MemoryCache } from "../cache/memory.ts";
import { loadConfig } from "../config.ts";

const JSON_HEADERS = { "Content-Type": "application/json" };

function post(app: TestApp, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.app.fetch(
    new Request(`http://localhost/api/auth${path}`, {
      method: "POST",
      headers: body === undefined ? headers : { ...JSON_HEADERS, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function me(app: TestApp, headers: Record<string, string>) {
  const response = await app.app.fetch(new Request("http://localhost/api/auth/me", { headers }));
  return { status: response.status, body: await response.json() };
}

async function refresh(app: TestApp, refreshToken: string) {
  const response = await post(app, "/refresh", { refreshToken });
  return { status: response.status, body: await response.json() };
}

async function withApp(run: (app: TestApp) => Promise<void>, env: Record<string, string> = {}) {
  const app = await startTestApp({ app: { config: loadConfig(env) } });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

function assertNoSecrets(app: TestApp, secrets: string[]) {
  const logs = app.logs.join("\n");
  for (const secret of secrets) assert.ok(!logs.includes(secret), `logs hold ${secret}`);
}

Deno.test("POST /login: tokens, user and HttpOnly SameSite cookies", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context, { role: "admin", displayName: "Ada" });
    const response = await post(app, "/login", {
      email: "  ADMIN" + user.email.slice(5),
      password: user.password,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), [
      "accessToken",
      "csrfToken",
      "expiresIn",
      "tokenType",
      "user",
    ]);
    assert.equal(body.expiresIn, 600);
    assert.deepEqual(body.user, {
      id: user.id,
      email: user.email,
      role: "admin",
      displayName: "Ada",
    });
    const [access, refresh] = response.headers.getSetCookie();
    assert.match(
      access,
      /^craveny_access=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    assert.match(
      refresh,
      /^craveny_refresh=[\w-]{43}; Max-Age=2592000; Path=\/api\/auth; HttpOnly; SameSite=Lax$/,
    );
    assert.equal((await me(app, bearerHeaders(body.accessToken))).body.user.email, user.email);
    assertNoSecrets(app, [user.password, body.accessToken, refresh.split(/[=;]/)[1]]);
    assert.ok(app.logs.some((line) => line.includes('"message":"signed in"')));
  });
});

Deno.test("cookies are Secure over https, on other hosts, or with COOKIE_SECURE=true", async () => {
  const secureFlag = async (url: string, env: Record<string, string> = {}, proto?: string) => {
    let flags: boolean[] = [];
    await withApp(async (app) => {
      const user = await createTestUser(app.context);
      const response = await app.app.fetch(
        new Request(`${url}/api/auth/login`, {
          method: "POST",
          headers: { ...JSON_HEADERS, ...(proto ? { "X-Forwarded-Proto": proto } : {}) },
          body: JSON.stringify({ email: user.email, password: user.password }),
        }),
      );
      assert.equal(response.status, 200);
      flags = response.headers.getSetCookie().map((cookie) => /; Secure\b/.test(cookie));
    }, env);
    assert.equal(new Set(flags).size, 1);
    return flags[0];
  };
  assert.equal(await secureFlag("http://localhost"), false);
  assert.equal(await secureFlag("http://127.0.0.1:8000"), false);
  assert.equal(await secureFlag("https://craveny.example"), true);
  assert.equal(await secureFlag("http://craveny.example"), true, "production is behind TLS");
  assert.equal(await secureFlag("http://localhost", { COOKIE_SECURE: "true" }), true);
  assert.equal(await secureFlag("https://craveny.example", { COOKIE_SECURE: "false" }), false);
  assert.equal(await secureFlag("http://localhost", { TRUST_PROXY: "true" }, "https"), true);
  assert.equal(await secureFlag("http://localhost", {}, "https"), false, "untrusted header");
});

Deno.test("bad credentials: one 401 for an unknown email and a wrong password, alike in time", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const attempt = async (email: string, password: string) => {
      const started = performance.now();
      const response = await post(app, "/login", { email, password });
      const ms = performance.now() - started;
      return { status: response.status, body: await response.json(), ms };
    };
    const unknown = [];
    const wrong = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await attempt(`nobody-${i}@example.com`, user.password));
      wrong.push(await attempt(user.email, `${user.password}!`));
    }
    for (const result of [...unknown, ...wrong]) {
      assert.equal(result.status, 401);
      assert.deepEqual(result.body, {
        error: { code: "invalid_credentials", message: "The email or password is not right" },
      });
    }
    // Both verify one argon2id hash (~20-100 ms); skipping it for unknown emails would make
    // them answer in about a millisecond.
    const median = (results: { ms: number }[]) => results.map((r) => r.ms).sort((a, b) => a - b)[1];
    const ratio = median(unknown) / median(wrong);
    assert.ok(
      ratio > 0.33 && ratio < 3,
      `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`,
    );
    assertNoSecrets(app, [user.password, user.email]);
    assert.ok(app.logs.some((line) => line.includes('"reason":"unknown_email"')));
    assert.ok(app.logs.some((line) => line.includes('"reason":"wrong_password"')));
  });
});

Deno.test("a disabled account can't sign in, and its tokens stop working at once", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    assert.equal((await me(app, bearerHeaders(session.accessToken))).status, 200);
    await setAccountDisabled(app.context.db.sql, user.id, true);
    assert.equal((await me(app, bearerHeaders(session.accessToken))).status, 401);
    assert.equal((await refresh(app, session.refreshToken)).status, 401);
    const login = await post(app, "/login", { email: user.email, password: user.password });
    assert.equal(login.status, 401);
    assert.equal((await login.json()).error.code, "invalid_credentials");
    await setAccountDisabled(app.context.db.sql, user.id, false);
    assert.equal(
      (await me(app, bearerHeaders(session.accessToken))).status,
      401,
      "sessions stay ended",
    );
    assert.equal(
      (await post(app, "/login", { email: user.email, password: user.password })).status,
      200,
    );
  });
});

Deno.test("a deleted user's tokens are refused", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    await app.context.db.sql`delete from app_user where id = ${user.id}`;
    const answer = await me(app, bearerHeaders(session.accessToken));
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, "unauthorized");
    assert.equal((await refresh(app, session.refreshToken)).status, 401);
    assert.ok(app.logs.some((line) => line.includes('"reason":"session_ended"')));
  });
});

Deno.test("refresh rotates; a rotated token used again ends the whole session", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const first = await signIn(app, user);
    const second = await refresh(app, first.refreshToken);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refreshToken, first.refreshToken);
    assert.notEqual(second.body.accessToken, first.accessToken);
    assert.equal(second.body.csrfToken, first.csrfToken, "the session stays the same");
    const third = await refresh(app, second.body.refreshToken);
    assert.equal(third.status, 200);
    assert.equal((await me(app, bearerHeaders(third.body.accessToken))).status, 200);

    const replayed = await refresh(app, first.refreshToken);
    assert.equal(replayed.status, 401);
    assert.equal(replayed.body.error.code, "refresh_token_reused");
    // The newest token and every access token of the session are dead too.
    const newest = await refresh(app, third.body.refreshToken);
    assert.equal(newest.status, 401);
    assert.equal(newest.body.error.code, "invalid_refresh_token");
    assert.equal((await me(app, bearerHeaders(third.body.accessToken))).status, 401);
    assert.equal((await me(app, bearerHeaders(first.accessToken))).status, 401);

    const rows = await app.context.db.sql<{ revoked_reason: string }[]>`
      select revoked_reason from session where user_id = ${user.id}`;
    assert.deepEqual(rows.map((row) => row.revoked_reason), [
      "reuse_detected",
      "reuse_detected",
      "reuse_detected",
    ]);
    const warning = app.logs.find((line) => line.includes("refresh token reuse detected"));
    assert.ok(warning);
    assert.match(warning, new RegExp(`"userId":${user.id}`));
    assertNoSecrets(app, [first.refreshToken, second.body.refreshToken, third.body.refreshToken]);

    // Another session of the same user is not affected.
    const other = await signIn(app, user);
    assert.equal((await refresh(app, other.refreshToken)).status, 200);
  });
});

Deno.test("refresh by cookie: new cookies; a refused token clears them", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    const refreshed = await post(app, "/refresh", undefined, { Cookie: session.cookie });
    assert.equal(refreshed.status, 200);
    const body = await refreshed.json();
    assert.equal(body.refreshToken, undefined, "a cookie client never sees the refresh token");
    assert.equal(refreshed.headers.getSetCookie().length, 2);
    const again = await post(app, "/refresh", undefined, { Cookie: session.cookie });
    assert.equal(again.status, 401);
    assert.match(again.headers.get("WWW-Authenticate") ?? "", /error="invalid_token"/);
    assert.deepEqual(
      again.headers.getSetCookie().map((cookie) => cookie.split(";").slice(0, 2).join(";")),
      ["craveny_access=; Max-Age=0", "craveny_refresh=; Max-Age=0"],
    );
    const none = await post(app, "/refresh");
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error.code, "invalid_refresh_token");
    for (const junk of ["", "x", "' or 1=1 --", "A".repeat(43)]) {
      assert.equal((await refresh(app, junk)).status, 401, junk);
    }
  });
});

Deno.test("logout ends the session: its refresh and access tokens stop working", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    const other = await signIn(app, user);
    const response = await post(app, "/logout", undefined, bearerHeaders(session.accessToken));
    assert.equal(response.status, 204);
    assert.equal(response.headers.getSetCookie().length, 2);
    assert.equal((await refresh(app, session.refreshToken)).status, 401);
    assert.equal((await me(app, bearerHeaders(session.accessToken))).status, 401);
    assert.equal((await me(app, bearerHeaders(other.accessToken))).status, 200, "only that one");
    // By refresh token in the body, as a script would.
    assert.equal((await post(app, "/logout", { refreshToken: other.refreshToken })).status, 204);
    assert.equal((await me(app, bearerHeaders(other.accessToken))).status, 401);
    // Nothing to end: still 204.
    assert.equal((await post(app, "/logout")).status, 204);
  });
});

Deno.test("cookie logout needs the session's CSRF token", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session: TestSession = await signIn(app, user);
    const forged = await post(app, "/logout", undefined, { Cookie: session.cookie });
    assert.equal(forged.status, 403);
    assert.equal((await forged.json()).error.code, "csrf_failed");
    const wrong = await post(app, "/logout", undefined, {
      Cookie: session.cookie,
      "X-CSRF-Token": "x".repeat(43),
    });
    assert.equal(wrong.status, 403);
    assert.equal((await me(app, { Cookie: session.cookie })).status, 200, "still signed in");
    const real = await post(app, "/logout", undefined, {
      Cookie: session.cookie,
      "X-CSRF-Token": session.csrfToken,
    });
    assert.equal(real.status, 204);
    assert.equal((await me(app, { Cookie: session.cookie })).status, 401);
  });
});

Deno.test("GET /me: the user and CSRF token by bearer or cookie; 401 otherwise", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    for (const headers of [bearerHeaders(session.accessToken), { Cookie: session.cookie }]) {
      const { status, body } = await me(app, headers);
      assert.equal(status, 200);
      assert.deepEqual(body, {
        user: { id: user.id, email: user.email, role: "investor", displayName: null },
        csrfToken: session.csrfToken,
      });
    }
    const anonymous = await app.app.fetch(new Request("http://localhost/api/auth/me"));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("WWW-Authenticate"), 'Bearer realm="craveny"');
    assert.equal((await anonymous.json()).error.code, "unauthorized");
  });
});

Deno.test("forged, expired and foreign tokens are 401s, logged by reason only", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const session = await signIn(app, user);
    const key = app.context.authKeys.accessToken;
    const [header, payload, signature] = session.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const sign = (alg: string, changes: Record<string, unknown>, signingKey: Uint8Array = key) =>
      new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg }).sign(signingKey);
    const tokens: Record<string, string> = {
      "tampered signature": `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      "tampered payload": `${header}.${
        encode({ ...claims, sub: String(user.id + 1) })
      }.${signature}`,
      "alg none": `${encode({ alg: "none", typ: "JWT" })}.${payload}.`,
      "HS512": await sign("HS512", {}, new Uint8Array(64).fill(1)),
      "wrong key": await sign("HS256", {}, crypto.getRandomValues(new Uint8Array(32))),
      "wrong issuer": await sign("HS256", { iss: "evil" }),
      "wrong audience": await sign("HS256", { aud: "evil" }),
      "expired": await issueAccessToken(
        key,
        { userId: user.id, session: claims.sid },
        60,
        new Date(Date.now() - 3_600_000),
      ),
      "garbage": "' or 1=1 --",
    };
    for (const [what, token] of Object.entries(tokens)) {
      const answer = await me(app, bearerHeaders(token));
      assert.equal(answer.status, 401, what);
      assert.equal(answer.body.error.code, "unauthorized", what);
    }
    const malformed = await me(app, { Authorization: "Basic YWRhOmxvdmVsYWNl" });
    assert.equal(malformed.status, 401);
    assertNoSecrets(app, Object.values(tokens).map((token) => token.split(".").at(-1) || token));
    const rejections = app.logs.filter((line) => line.includes("access token refused"));
    assert.ok(rejections.some((line) => line.includes("ERR_JOSE_ALG_NOT_ALLOWED")));
    assert.ok(rejections.some((line) => line.includes("ERR_JWS_SIGNATURE_VERIFICATION_FAILED")));
  });
});

Deno.test("login bad input: 400 for a wrong shape, 413 for an oversized body", async () => {
  await withApp(async (app) => {
    const cases: [unknown, RegExp][] = [
      [{ email: "a@b.c" }, /password: expected a string/],
      [{ email: 1, password: "x" }, /email: expected a string/],
      [{ email: "a@b.c", password: "x", role: "admin" }, /role: unknown field/],
      [["a@b.c", "x"], /JSON object/],
    ];
    for (const [body, message] of cases) {
      const response = await post(app, "/login", body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match((await response.json()).error.message, message);
    }
    const form = await app.app.fetch(
      new Request("http://localhost/api/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "email=a%40b.c&password=x",
      }),
    );
    assert.equal(form.status, 400, "a cross-site form can't post the JSON login");
    const huge = await post(app, "/login", { email: "a@b.c", password: "x".repeat(2_000) });
    assert.equal(huge.status, 413);
    assert.equal((await huge.json()).error.code, "payload_too_large");
    // SQL in the email is just a wrong email.
    const sql = await post(app, "/login", {
      email: "' or 1=1; drop table app_user; --",
      password: "x",
    });
    assert.equal(sql.status, 401);
  }, { BODY_LIMIT_BYTES: "1024" });
});

Deno.test("sign-in is rate limited per account and per address: 429 with Retry-After", async () => {
  // A stopped clock: the buckets refill only between tests, however slow hashing gets.
  const cache = new MemoryCache({ now: () => Date.UTC(2024, 0, 2) });
  const app = await startTestApp({ app: { cache, config: loadConfig({ TRUST_PROXY: "true" }) } });
  try {
    const user = await createTestUser(app.context);
    const login = (email: string, password: string, ip: string) =>
      post(app, "/login", { email, password }, { "X-Forwarded-For": `10.0.0.1, ${ip}` });
    for (let i = 0; i < 5; i++) {
      assert.equal((await login(user.email, "wrong password!", `192.0.2.${i}`)).status, 401);
    }
    const limited = await login(user.email, user.password, "192.0.2.99");
    assert.equal(limited.status, 429, "the right password too, from another address");
    assert.equal(limited.headers.get("Retry-After"), "12");
    const body = await limited.json();
    assert.equal(body.error.code, "too_many_requests");
    assert.equal(body.error.message, "Too many sign-in attempts: try again in 12 seconds.");

    // The address bucket: 1 attempt of 20 is spent; the proxy's own hop (10.0.0.1) is ignored.
    for (let i = 0; i < 19; i++) {
      assert.equal((await login(`guess-${i}@example.com`, "password!", "192.0.2.99")).status, 401);
    }
    const address = await login("guess-14@example.com", "password!", "192.0.2.99");
    assert.equal(address.status, 429);
    await address.body?.cancel();
    const elsewhere = await login("guess-14@example.com", "password!", "192.0.2.100");
    assert.equal(elsewhere.status, 401, "another address is not limited");
    const lines = app.logs.filter((line) => line.includes("login rate limited"));
    assert.ok(lines.some((line) => line.includes('"scope":"account"')));
    assert.ok(lines.some((line) => line.includes('"scope":"ip"')));
    assertNoSecrets(app, [user.password, user.email]);
  } finally {
    await app.close();
    await cache.close();
  }
});

Deno.test("the cookies of a sign-in work as a browser sends them", async () => {
  await withApp(async (app) => {
    const user = await createTestUser(app.context);
    const response = await post(app, "/login", { email: user.email, password: user.password });
    const { status } = await me(app, { Cookie: cookieHeader(response) });
    assert.equal(status, 200);
  });
});
