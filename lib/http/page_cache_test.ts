import assert from "node:assert/strict";
import { Hono } from "hono";
import { bumpDataVersion, readDataVersion } from "../cache/data_version.ts";
import { MemoryCache } from "../cache/memory.ts";
import type { AppEnv } from "./env.ts";
import { fnv1a, isPersonalised, pageCache, type PageCacheOptions } from "./page_cache.ts";

/** A page cache in front of a page that counts its renders and answers what `page` says. */
function cachedApp(options: Partial<PageCacheOptions> = {}) {
  const cache = new MemoryCache();
  let renders = 0;
  let page = (_req: Request) => new Response(`<p>render ${renders}</p>`, { headers: HTML });
  const hono = new Hono<AppEnv>();
  hono.all("*", pageCache({ cache, buildId: "b1", ...options }), (c) => {
    renders++;
    return page(c.req.raw);
  });
  return {
    cache,
    get renders() {
      return renders;
    },
    answer(next: (req: Request) => Response) {
      page = next;
    },
    get: (path: string, init?: RequestInit) => hono.fetch(new Request(`http://x${path}`, init)),
  };
}

const HTML = { "content-type": "text/html; charset=utf-8", "x-route": "test" };

async function ready(app: ReturnType<typeof cachedApp>) {
  await bumpDataVersion(app.cache);
  return app;
}

Deno.test("page cache: the second view is the first one's HTML, with an ETag", async () => {
  const app = await ready(cachedApp());
  const first = await app.get("/stocks?q=a");
  assert.equal(first.headers.get("x-page-cache"), "miss");
  const html = await first.text();
  const second = await app.get("/stocks?q=a");
  assert.equal(second.headers.get("x-page-cache"), "hit");
  assert.equal(await second.text(), html);
  assert.equal(app.renders, 1);
  const etag = second.headers.get("etag") ?? "";
  assert.equal(etag, first.headers.get("etag"));
  assert.match(etag, /^W\/"[0-9a-z]+\.b1\.[0-9a-f]{8}"$/);
  assert.equal(second.headers.get("cache-control"), "no-cache");
  assert.equal(second.headers.get("vary"), "Cookie, Authorization");
  assert.equal(second.headers.get("x-route"), "test", "the route's own headers are kept");
  assert.equal(second.headers.get("content-length"), String(new Blob([html]).size));
  // Another query is another page.
  assert.equal((await app.get("/stocks?q=b")).headers.get("x-page-cache"), "miss");
  assert.notEqual((await app.get("/stocks?q=b")).headers.get("etag"), etag);
});

Deno.test("page cache: If-None-Match with the current ETag is a 304 without rendering", async () => {
  const app = await ready(cachedApp());
  const etag = (await app.get("/")).headers.get("etag") ?? "";
  const renders = app.renders;
  const revalidated = await app.get("/", { headers: { "if-none-match": etag } });
  assert.equal(revalidated.status, 304);
  assert.equal(revalidated.headers.get("etag"), etag);
  assert.equal(await revalidated.text(), "");
  assert.equal(app.renders, renders);
  const stale = await app.get("/", { headers: { "if-none-match": 'W/"old.b1.00000000"' } });
  assert.equal(stale.status, 200);
});

Deno.test("page cache: a data version bump invalidates the pages and their ETags", async () => {
  const app = await ready(cachedApp());
  const before = await app.get("/");
  const etag = before.headers.get("etag") ?? "";
  await bumpDataVersion(app.cache);
  const after = await app.get("/", { headers: { "if-none-match": etag } });
  assert.equal(after.status, 200, "the old ETag no longer validates");
  assert.equal(after.headers.get("x-page-cache"), "miss");
  assert.notEqual(after.headers.get("etag"), etag);
  assert.equal(await after.text(), "<p>render 2</p>");
});

Deno.test("page cache: signed-in requests bypass it, both ways", async () => {
  const app = await ready(cachedApp());
  await app.get("/");
  const signedIn: Record<string, string>[] = [
    { authorization: "Bearer abc" },
    { cookie: "theme=dark; craveny_access=eyJ" },
    { cookie: "craveny_access=eyJ" },
  ];
  for (const headers of signedIn) {
    const before = app.renders;
    const response = await app.get("/", { headers });
    assert.equal(app.renders, before + 1, JSON.stringify(headers));
    assert.equal(response.headers.get("etag"), null);
    assert.equal(response.headers.get("x-page-cache"), null);
  }
  // Their pages are never stored for others either.
  app.answer(() => new Response("<p>hello Ada</p>", { headers: HTML }));
  await app.get("/me", { headers: { cookie: "craveny_access=eyJ" } });
  assert.equal(await (await app.get("/me")).text(), "<p>hello Ada</p>", "rendered anew");
  assert.equal(app.renders, 6);
});

Deno.test("page cache: what a signed-in request gets tells every cache to keep no copy", async () => {
  const app = await ready(cachedApp());
  // Even a route that asked for caching: the signed-in view holds the account.
  app.answer(() =>
    new Response("<p>hello Ada</p>", {
      headers: { ...HTML, "cache-control": "public, max-age=60", vary: "Accept" },
    })
  );
  const signedIn = { cookie: "craveny_access=eyJ" };
  for (const method of ["GET", "HEAD", "POST"]) {
    const response = await app.get("/me", { method, headers: signedIn });
    assert.equal(response.headers.get("cache-control"), "no-store", method);
    assert.equal(response.headers.get("vary"), "Cookie, Authorization", method);
    assert.equal(response.headers.get("x-route"), "test", "the route's other headers stay");
  }
  const bearer = await app.get("/me", { headers: { authorization: "Bearer abc" } });
  assert.equal(bearer.headers.get("cache-control"), "no-store");
  // A redirect made with immutable headers is marked too.
  app.answer(() => Response.redirect("http://x/login", 303));
  const redirect = await app.get("/me", { headers: signedIn });
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get("cache-control"), "no-store");
  // Anonymous requests get no such marking.
  const anonymous = await app.get("/other");
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get("cache-control"), null);
});

Deno.test("isPersonalised: the access cookie by name, or any Authorization", () => {
  const personal = (headers: HeadersInit) => isPersonalised(new Request("http://x/", { headers }));
  assert.equal(personal({}), false);
  assert.equal(personal({ cookie: "craveny_visitor=v1" }), false);
  assert.equal(personal({ cookie: "not_craveny_access=1" }), false);
  assert.equal(personal({ cookie: "a=craveny_access" }), false);
  assert.equal(personal({ cookie: "a=1;craveny_access=t" }), true);
  assert.equal(personal({ authorization: "Basic x" }), true);
});

Deno.test("page cache: only a shareable 200 HTML page or JSON answer is kept", async () => {
  const cases: [string, (req: Request) => Response][] = [
    ["not found", () => new Response("<p>no</p>", { status: 404, headers: HTML })],
    ["CSV", () => new Response("a,b\n1,2\n", { headers: { "content-type": "text/csv" } })],
    [
      "a stream",
      () => new Response("data: 1\n\n", { headers: { "content-type": "text/event-stream" } }),
    ],
    ["a cookie", () => new Response("<p>hi</p>", { headers: { ...HTML, "set-cookie": "v=1" } })],
    [
      "no-store",
      () => new Response("<p>hi</p>", { headers: { ...HTML, "cache-control": "no-store" } }),
    ],
    [
      "private",
      () => new Response("<p>hi</p>", { headers: { ...HTML, "cache-control": "private" } }),
    ],
    ["a CSRF field", () => new Response('<input name="csrf" value="t">', { headers: HTML })],
  ];
  for (const [name, answer] of cases) {
    const app = await ready(cachedApp({ perVisitorMarkers: ['name="csrf"'] }));
    app.answer(answer);
    const first = await app.get("/page");
    await first.arrayBuffer();
    const second = await app.get("/page");
    assert.equal(app.renders, 2, name);
    assert.equal(second.headers.get("x-page-cache"), null, name);
  }
  // The body of a page read for the check still reaches its visitor.
  const app = await ready(cachedApp({ perVisitorMarkers: ['name="csrf"'] }));
  app.answer(() => new Response('<input name="csrf" value="t">', { headers: HTML }));
  assert.equal(await (await app.get("/login")).text(), '<input name="csrf" value="t">');
});

Deno.test("page cache: a public JSON answer is kept like a page", async () => {
  const app = await ready(cachedApp());
  app.answer(() => Response.json({ renders: app.renders }));
  const first = await app.get("/api/predictions?symbol=AAPL");
  assert.deepEqual(await first.json(), { renders: 1 });
  const second = await app.get("/api/predictions?symbol=AAPL");
  assert.equal(second.headers.get("x-page-cache"), "hit");
  assert.equal(second.headers.get("content-type"), "application/json");
  assert.deepEqual(await second.json(), { renders: 1 });
  assert.equal(app.renders, 1);
});

Deno.test("page cache: HEAD is answered from a stored GET, but never fills the cache", async () => {
  const app = await ready(cachedApp());
  const head = await app.get("/", { method: "HEAD" });
  assert.equal(head.headers.get("x-page-cache"), null);
  assert.equal((await app.get("/")).headers.get("x-page-cache"), "miss");
  const stored = await app.get("/", { method: "HEAD" });
  assert.equal(stored.headers.get("x-page-cache"), "hit");
  assert.equal(stored.headers.get("content-length"), String("<p>render 2</p>".length));
  assert.equal(await stored.text(), "");
  // Other methods pass through untouched.
  const post = await app.get("/", { method: "POST" });
  assert.equal(post.headers.get("etag"), null);
});

Deno.test("page cache: concurrent first views wait for one render", async () => {
  const app = await ready(cachedApp());
  const gate = Promise.withResolvers<void>();
  const hono = new Hono<AppEnv>();
  let renders = 0;
  hono.all("*", pageCache({ cache: app.cache, buildId: "b1" }), async () => {
    renders++;
    await gate.promise;
    return new Response("<p>slow</p>", { headers: HTML });
  });
  const views = Array.from({ length: 5 }, () => hono.fetch(new Request("http://x/slow")));
  gate.resolve();
  const bodies = await Promise.all(views.map(async (view) => await (await view).text()));
  assert.deepEqual(bodies, Array(5).fill("<p>slow</p>"));
  assert.equal(renders, 1);
});

Deno.test("page cache: pages expire after their TTL even without a bump", async () => {
  let now = 1_000_000;
  const app = await ready(cachedApp({ ttlMs: 60_000, now: () => now }));
  await app.get("/");
  now += 59_000;
  assert.equal((await app.get("/")).headers.get("x-page-cache"), "hit");
  now += 2_000;
  assert.equal((await app.get("/")).headers.get("x-page-cache"), "miss");
});

Deno.test("page cache: without a data version it sets one and renders", async () => {
  const app = cachedApp();
  const response = await app.get("/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("etag"), null, "nothing to validate against yet");
  assert.ok(await readDataVersion(app.cache));
  assert.equal((await app.get("/")).headers.get("x-page-cache"), "miss");
  assert.equal((await app.get("/")).headers.get("x-page-cache"), "hit");
});

Deno.test("fnv1a: 32-bit FNV-1a as 8 hex digits", () => {
  assert.equal(fnv1a(""), "811c9dc5");
  assert.equal(fnv1a("a"), "e40c292c");
  assert.equal(fnv1a("foobar"), "bf9cf968");
});

Deno.test("page cache: requests arriving together share one read of the data version", async () => {
  const cache = new MemoryCache();
  await bumpDataVersion(cache);
  let reads = 0;
  const counting = Object.assign(Object.create(cache), {
    get(key: string) {
      reads++;
      return cache.get(key);
    },
  });
  const hono = new Hono<AppEnv>();
  hono.all(
    "*",
    pageCache({ cache: counting, buildId: "b1" }),
    () => new Response("<p>x</p>", { headers: HTML }),
  );
  await (await hono.fetch(new Request("http://x/"))).text();
  reads = 0;
  const views = await Promise.all(
    Array.from({ length: 10 }, () => hono.fetch(new Request("http://x/"))),
  );
  assert.ok(views.every((view) => view.headers.get("x-page-cache") === "hit"));
  assert.equal(reads, 1);
});
