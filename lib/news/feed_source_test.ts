import assert from "node:assert/strict";
import { MemoryCache } from "../cache/memory.ts";
import type { RateLimitRule } from "../cache/port.ts";
import { PayloadError } from "../net/fetched.ts";
import { FetchError } from "../net/http_fetch.ts";
import { FeedSource, type FeedSourceOptions } from "./feed_source.ts";
import type { NewsFeed } from "./port.ts";

const RSS = Deno.readFileSync(new URL("./fixtures/rss_finance.xml", import.meta.url));
const ATOM = Deno.readFileSync(new URL("./fixtures/atom.xml", import.meta.url));
const ERROR_PAGE = Deno.readFileSync(new URL("./fixtures/error_page.html", import.meta.url));
const TRUNCATED = Deno.readFileSync(new URL("./fixtures/truncated.xml", import.meta.url));

const ETAG = '"rss-v1"';
const LAST_MODIFIED = "Fri, 02 Feb 2024 21:00:00 GMT";
const NOW = Date.parse("2024-02-04T00:00:00Z");
/** Generous: these tests are about HTTP, not about waiting for tokens. */
const NO_LIMIT: RateLimitRule = { capacity: 1000, refillPerSecond: 1000 };

/** A publisher on loopback serving the fixtures; records what each request asked for. */
function publisher() {
  const requests: { path: string; headers: Headers }[] = [];
  let flaky = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    requests.push({ path, headers: new Headers(request.headers) });
    const xml = { "content-type": "application/rss+xml; charset=utf-8" };
    switch (path) {
      case "/markets.rss":
        if (
          request.headers.get("if-none-match") === ETAG ||
          request.headers.get("if-modified-since") === LAST_MODIFIED
        ) {
          return new Response(null, { status: 304, headers: { etag: ETAG } });
        }
        return new Response(RSS, {
          headers: { ...xml, etag: ETAG, "last-modified": LAST_MODIFIED },
        });
      case "/atom.xml":
        return new Response(ATOM, { headers: { "content-type": "application/atom+xml" } });
      case "/error-page":
        return new Response(ERROR_PAGE, { headers: { "content-type": "text/html" } });
      case "/truncated.xml":
        return new Response(TRUNCATED, { headers: xml });
      case "/flaky.rss":
        return ++flaky === 1
          ? new Response("busy", { status: 503 })
          : new Response(RSS, { headers: xml });
      case "/unavailable.rss":
        return new Response("down for maintenance", { status: 503 });
      default:
        return new Response("not found", { status: 404 });
    }
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function source(options: Partial<FeedSourceOptions> = {}): FeedSource {
  return new FeedSource({
    cache: new MemoryCache(),
    rateLimit: NO_LIMIT,
    deps: { now: () => NOW, sleep: () => Promise.resolve() },
    ...options,
  });
}

function feed(url: string, validators: Partial<NewsFeed> = {}): NewsFeed {
  return { id: 1, url, title: null, stockId: null, etag: null, lastModified: null, ...validators };
}

Deno.test("fetches a feed, returns its validators, and parses it", async () => {
  await using server = publisher();
  const feeds = source();
  const fetched = await feeds.fetch(feed(`${server.base}/markets.rss`));
  assert.ok(fetched);
  assert.equal(fetched.source, "feed");
  assert.equal(fetched.url, `${server.base}/markets.rss`);
  assert.equal(fetched.contentType, "application/rss+xml; charset=utf-8");
  assert.deepEqual(fetched.body, RSS);
  assert.equal(fetched.fetchedAt.getTime(), NOW);
  assert.equal(fetched.etag, ETAG);
  assert.equal(fetched.lastModified, LAST_MODIFIED);

  const { rows, rejected } = feeds.parse(fetched);
  assert.equal(rows.length, 7);
  assert.equal(rejected.length, 4);
  // Relative links resolve against the URL the feed was fetched from.
  assert.equal(rows[2].url, `${server.base}/news/nvidia-record-high`);

  const [request] = server.requests;
  assert.match(request.headers.get("accept") ?? "", /application\/rss\+xml/);
  assert.match(request.headers.get("user-agent") ?? "", /Craveny/);
  assert.equal(request.headers.get("if-none-match"), null);
  assert.equal(request.headers.get("if-modified-since"), null);
});

Deno.test("a conditional GET of an unchanged feed answers null (304)", async () => {
  await using server = publisher();
  const feeds = source();
  const url = `${server.base}/markets.rss`;
  assert.equal(await feeds.fetch(feed(url, { etag: ETAG })), null);
  assert.equal(await feeds.fetch(feed(url, { lastModified: LAST_MODIFIED })), null);
  assert.equal(server.requests[0].headers.get("if-none-match"), ETAG);
  assert.equal(server.requests[1].headers.get("if-modified-since"), LAST_MODIFIED);
  // A stale validator gets the whole feed and the new validators.
  const changed = await feeds.fetch(feed(url, { etag: '"rss-v0"', lastModified: "x" }));
  assert.equal(changed?.etag, ETAG);
  assert.equal(server.requests.length, 3);
});

Deno.test("a feed without validators stores none", async () => {
  await using server = publisher();
  const fetched = await source().fetch(feed(`${server.base}/atom.xml`, { etag: '"old"' }));
  assert.equal(fetched?.etag, null);
  assert.equal(fetched?.lastModified, null);
  assert.equal(source().parse(fetched!).rows.length, 3);
});

Deno.test("an HTML error page or a truncated feed is fetched, then rejected by parse", async () => {
  await using server = publisher();
  const feeds = source();
  for (
    const [path, message] of [["/error-page", /HTML page/], [
      "/truncated.xml",
      /truncated/,
    ]] as const
  ) {
    const fetched = await feeds.fetch(feed(`${server.base}${path}`));
    assert.ok(fetched);
    assert.throws(
      () => feeds.parse(fetched),
      (error: unknown) => error instanceof PayloadError && message.test(error.message),
    );
  }
});

Deno.test("transient failures are retried; permanent ones throw FetchError", async () => {
  await using server = publisher();
  const feeds = source();
  const recovered = await feeds.fetch(feed(`${server.base}/flaky.rss`));
  assert.equal(recovered?.body.length, RSS.length);
  assert.equal(server.requests.filter((r) => r.path === "/flaky.rss").length, 2);

  await assert.rejects(
    feeds.fetch(feed(`${server.base}/unavailable.rss`)),
    (error: unknown) => error instanceof FetchError && error.status === 503 && error.attempts === 3,
  );
  await assert.rejects(
    feeds.fetch(feed(`${server.base}/gone.rss`)),
    (error: unknown) => error instanceof FetchError && error.status === 404 && error.attempts === 1,
  );
});

Deno.test("a feed larger than the limit is refused", async () => {
  await using server = publisher();
  await assert.rejects(
    source({ maxBytes: 1000 }).fetch(feed(`${server.base}/markets.rss`)),
    FetchError,
  );
});

Deno.test("requests take a token from the publisher host's bucket", async () => {
  await using server = publisher();
  const cache = new MemoryCache();
  const keys: string[] = [];
  const takeToken = cache.takeToken.bind(cache);
  cache.takeToken = (key, rule) => {
    keys.push(key);
    return takeToken(key, rule);
  };
  await source({ cache }).fetch(feed(`${server.base}/atom.xml`));
  assert.deepEqual(keys, [`ratelimit:feed:${new URL(server.base).host}`]);
});

Deno.test("the caller's abort signal stops the fetch", async () => {
  await using server = publisher();
  const controller = new AbortController();
  controller.abort(new Error("crawl cancelled"));
  await assert.rejects(
    source().fetch(feed(`${server.base}/markets.rss`), controller.signal),
    /crawl cancelled/,
  );
});
