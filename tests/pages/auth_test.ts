// Signing in and out through the pages, as a browser without JavaScript does: the login form and
// its CSRF token, the header's user menu, the admin console's guard, an expired access token
// refreshed on the way, and bad input shown escaped or refused.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import manifest from "../../fresh.gen.ts";
import { issueAccessToken } from "../../lib/auth/access_token.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/auth.ts";
import { csrfFieldOf, TestBrowser } from "../support/test_browser.ts";

async function withSite(
  run: (app: TestApp, browser: () => TestBrowser) => Promise<void>,
  env: Record<string, string> = {},
) {
  const log = createLogger("error", () => {});
  const pages = await createFreshHandler(manifest, { log });
  const app = await startTestApp({ pages, app: { config: loadConfig(env) } });
  try {
    await run(app, () => new TestBrowser((request) => app.app.fetch(request)));
  } finally {
    await app.close();
    await pages.close();
  }
}

/** Signs `user` in through the login form; answers the browser, now holding the cookies. */
async function signedIn(browser: TestBrowser, user: TestUser): Promise<TestBrowser> {
  const form = await browser.get("/login");
  const { status } = await browser.post("/login", {
    csrf: csrfFieldOf(form.html),
    email: user.email,
    password: user.password,
    next: "/",
  });
  assert.equal(status, 303);
  return browser;
}

Deno.test("login page: form with a CSRF token; failures keep the email; success goes to next", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context);
    const visitor = browser();
    const page = await visitor.get("/login?next=%2Fpredictions%3Fmodel%3Dmomentum");
    assert.equal(page.status, 200);
    assert.equal(page.response.headers.get("Cache-Control"), "no-store");
    assert.ok(visitor.cookie("craveny_visitor"), "a visitor id binds the login form's token");
    const csrf = csrfFieldOf(page.html);
    assert.match(
      page.html,
      /<input type="hidden" name="next" value="\/predictions\?model=momentum"\/>/,
    );
    assert.match(page.html, /<a class="user-menu sign-in" href="\/login">Sign in<\/a>/);

    const noToken = await visitor.post("/login", { email: user.email, password: user.password });
    assert.equal(noToken.status, 403);
    assert.match(noToken.html, /The sign-in form had expired/);
    assert.equal(visitor.cookie("craveny_access"), undefined);

    const wrong = await visitor.post("/login", {
      csrf,
      email: user.email,
      password: "not the password",
      next: "/predictions",
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /role="alert">The email or password is not right</);
    assert.match(wrong.html, new RegExp(`name="email" value="${user.email}"`));
    assert.doesNotMatch(wrong.html, /not the password/);

    const right = await visitor.post("/login", {
      csrf,
      email: user.email,
      password: user.password,
      next: "/predictions?model=momentum",
    });
    assert.equal(right.status, 303);
    assert.equal(right.response.headers.get("Location"), "/predictions?model=momentum");
    assert.ok(visitor.cookie("craveny_access"));
    assert.ok(visitor.cookie("craveny_refresh"));

    const home = await visitor.get("/");
    assert.equal(home.status, 200);
    assert.match(home.html, new RegExp(`<span class="user-email">${user.email}</span>`));
    assert.match(home.html, /<span class="badge user-role">investor<\/span>/);
    assert.match(
      home.html,
      /<form method="post" action="\/logout"><input type="hidden" name="csrf" value="[\w-]{43}"\/>/,
    );
    assert.doesNotMatch(home.html, /href="\/admin"/, "no admin link for investors");
    assert.doesNotMatch(home.html, /Sign in</);
  });
});

Deno.test("login CSRF: another visitor's token, or another site's next, get nowhere", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context);
    const attacker = browser();
    const attackersToken = csrfFieldOf((await attacker.get("/login")).html);
    const victim = browser();
    await victim.get("/login");
    const forged = await victim.post("/login", {
      csrf: attackersToken,
      email: user.email,
      password: user.password,
    });
    assert.equal(forged.status, 403);
    assert.equal(victim.cookie("craveny_access"), undefined);

    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const visitor = browser();
      const csrf = csrfFieldOf((await visitor.get("/login")).html);
      const { response } = await visitor.post("/login", {
        csrf,
        email: user.email,
        password: user.password,
        next,
      });
      assert.equal(response.headers.get("Location"), "/", next);
    }
  });
});

Deno.test("admin pages: visitors sign in first, investors get 403, admins the console", async () => {
  await withSite(async (app, browser) => {
    for (const path of ["/admin", "/admin/models?x=1"]) {
      const { status, response } = await browser().get(path);
      assert.equal(status, 303, path);
      assert.equal(
        response.headers.get("Location"),
        `/login?${new URLSearchParams({ next: path })}`,
      );
    }
    const investor = await signedIn(browser(), await createTestUser(app.context));
    const denied = await investor.get("/admin");
    assert.equal(denied.status, 403);
    assert.match(denied.html, /You can.t open this page/);
    assert.match(denied.html, /This page is for administrators/);

    const admin = await signedIn(browser(), await createTestUser(app.context, { role: "admin" }));
    const console = await admin.get("/admin");
    assert.equal(console.status, 200);
    assert.match(console.html, /<h1>Admin console<\/h1>/);
    for (const section of ["stocks", "models", "experiments", "users", "jobs"]) {
      assert.match(console.html, new RegExp(`<a href="/admin/${section}">`));
    }
    assert.match(console.html, /<a href="\/admin"[^>]*>Admin<\/a>/, "admins get the nav link");
    assert.match(console.html, /<span class="badge user-role">admin<\/span>/);
  });
});

Deno.test("logout: POST with the CSRF token only; ends the session", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context);
    const visitor = await signedIn(browser(), user);
    const csrf = csrfFieldOf((await visitor.get("/")).html);
    assert.equal((await visitor.get("/logout")).status, 405);
    assert.equal((await visitor.post("/logout", {})).status, 403);
    assert.equal((await visitor.post("/logout", { csrf: "x".repeat(43) })).status, 403);
    const accessToken = visitor.cookie("craveny_access")!;
    const out = await visitor.post("/logout", { csrf });
    assert.equal(out.status, 303);
    assert.equal(out.response.headers.get("Location"), "/");
    assert.equal(visitor.cookie("craveny_access"), undefined);
    assert.match((await visitor.get("/")).html, /Sign in</);
    // The old access token is dead, not just forgotten by this browser.
    const replay = new TestBrowser((request) => app.app.fetch(request));
    replay.setCookie("craveny_access", accessToken);
    const page = await replay.get("/");
    assert.match(page.html, /Sign in</);
    assert.equal(replay.cookie("craveny_access"), undefined, "its cookie is cleared");
  });
});

Deno.test("an expired access token is refreshed on the way; sign-out still works", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context);
    const visitor = await signedIn(browser(), user);
    const claims = JSON.parse(
      Buffer.from(visitor.cookie("craveny_access")!.split(".")[1], "base64url").toString(),
    );
    const expired = await issueAccessToken(
      app.context.authKeys.accessToken,
      { userId: user.id, session: claims.sid },
      60,
      new Date(Date.now() - 3_600_000),
    );
    visitor.setCookie("craveny_access", expired);
    const page = await visitor.get("/stocks?q=a");
    assert.equal(page.status, 303);
    const refreshAt = page.response.headers.get("Location")!;
    assert.equal(refreshAt, "/api/auth/refresh?next=%2Fstocks%3Fq%3Da");
    const back = await visitor.get(refreshAt);
    assert.equal(back.status, 303);
    assert.equal(back.response.headers.get("Location"), "/stocks?q=a");
    assert.notEqual(visitor.cookie("craveny_access"), expired);
    assert.match((await visitor.get("/stocks?q=a")).html, /class="user-email"/);

    // A form rendered before the token expired still signs out.
    const csrf = csrfFieldOf((await visitor.get("/")).html);
    visitor.setCookie("craveny_access", expired);
    assert.equal((await visitor.post("/logout", { csrf })).status, 303);
    const refresh = await visitor.get("/api/auth/refresh?next=%2F");
    assert.equal(refresh.response.headers.get("Location"), "/", "refused: back, signed out");
  });
});

Deno.test("script in an email or display name is shown escaped", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context, {
      email: `x'"><script>alert(1)</script>@example.com`,
      displayName: "<img src=x onerror=alert(2)> Robert'); DROP TABLE app_user;--",
    });
    const visitor = await signedIn(browser(), user);
    const home = await visitor.get("/");
    assert.equal(home.status, 200);
    assert.doesNotMatch(home.html, /<script>alert|<img src=x/);
    // Preact escapes < and & (and ") in text: no markup can start.
    assert.match(home.html, /x'&quot;>&lt;script>alert\(1\)&lt;\/script>@example.com/);
    assert.match(home.html, /&lt;img src=x onerror=alert\(2\)> Robert'\); DROP TABLE app_user;--/);
    const [{ count }] = await app.context.db.sql<{ count: number }[]>`
      select count(*)::int as count from app_user`;
    assert.equal(count, 1);

    const form = browser();
    const csrf = csrfFieldOf((await form.get("/login")).html);
    const failed = await form.post("/login", {
      csrf,
      email: `"><script>alert(3)</script>`,
      password: "whatever password",
    });
    assert.equal(failed.status, 401);
    assert.doesNotMatch(failed.html, /<script>alert\(3\)/);
    assert.match(failed.html, /name="email" value="&quot;>&lt;script>alert\(3\)&lt;\/script>"/);
  });
});

Deno.test("oversized login posts are 413; too many attempts are 429 with Retry-After", async () => {
  await withSite(async (app, browser) => {
    const user = await createTestUser(app.context);
    const visitor = browser();
    const csrf = csrfFieldOf((await visitor.get("/login")).html);
    const huge = await visitor.post("/login", {
      csrf,
      email: user.email,
      password: "x".repeat(4_096),
    });
    assert.equal(huge.status, 413);
    for (let i = 0; i < 5; i++) {
      const { status } = await visitor.post("/login", {
        csrf,
        email: user.email,
        password: `wrong ${i}`,
      });
      assert.equal(status, 401);
    }
    const limited = await visitor.post("/login", {
      csrf,
      email: user.email,
      password: user.password,
    });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.response.headers.get("Retry-After")) >= 1);
    assert.match(limited.html, /Too many sign-in attempts/);
    assert.equal(visitor.cookie("craveny_access"), undefined);
  }, { BODY_LIMIT_BYTES: "2048" });
});
