// Public pages change only when data does (DESIGN §9), so an anonymous GET of a page — or of a
// public JSON API read — is rendered once per (path + query, data version) and then served from memory; browsers revalidate with the
// ETag and get 304 while the version holds. The data version lives in the cache port, so one bump
// (lib/cache/data_version.ts) invalidates every process; entries also expire after `ttlMs` in case
// a writer forgot to bump.
//
// Not cached: personalised requests (an Authorization header or the access cookie: they bypass
// this, and their responses tell every other cache, the browser's included, to keep no copy),
// anything but a 200 HTML or JSON response (CSV exports and event streams pass through unread), responses that set a cookie or say `Cache-Control:
// private`/`no-store` (how a route opts out), and pages holding a per-visitor marker (a CSRF
// field) whatever their headers say.
import type { Context, MiddlewareHandler } from "hono";
import { ACCESS_COOKIE, readCookie } from "../auth/cookies.ts";
import { createMiddleware } from "hono/factory";
import { bumpDataVersion, readDataVersion } from "../cache/data_version.ts";
import type { Cache } from "../cache/port.ts";
import { etagMatches } from "../fresh/static_files.ts";
import type { AppEnv } from "./env.ts";
import { type RenderedPage, RenderedPages } from "./rendered_pages.ts";
import { PRIVATE_RESPONSE_HEADERS, setResponseHeaders } from "./response_headers.ts";

export interface PageCacheOptions {
  /** Holds the data version. */
  cache: Cache;
  /**
   * Identifies the code that renders (the island bundle's hashes): an ETag from an older deploy
   * never validates a page whose scripts have changed names.
   */
  buildId: string;
  /** Default 5 minutes. */
  ttlMs?: number;
  /** HTML kept at most, default 32 MiB. */
  maxBytes?: number;
  /**
   * Text that only a page rendered for one visitor contains (a CSRF field): such a page is never
   * kept, even when its route forgot to say `Cache-Control: no-store`.
   */
  perVisitorMarkers?: readonly string[];
  now?: () => number;
}

/** Whether the response may differ per visitor: signed in by cookie or by bearer token. */
export function isPersonalised(req: Request): boolean {
  return req.headers.has("authorization") || readCookie(req, ACCESS_COOKIE) !== undefined;
}

/** 32-bit FNV-1a of `text`, as hex: the path's part of an ETag, short and free of quotes. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Bodies small and finished enough to keep: streams and exports are never buffered. */
const KEPT_TYPES = /^(text\/html|application\/json)\b/;

/** A response another visitor may be shown as it is. */
function shareable(response: Response): boolean {
  const cacheControl = response.headers.get("cache-control") ?? "";
  return response.status === 200 &&
    KEPT_TYPES.test(response.headers.get("content-type") ?? "") &&
    !response.headers.has("set-cookie") &&
    !/\b(private|no-store)\b/i.test(cacheControl);
}

export function pageCache(options: PageCacheOptions): MiddlewareHandler<AppEnv> {
  const pages = new RenderedPages({
    maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
    ttlMs: options.ttlMs ?? 5 * 60_000,
    now: options.now,
  });
  // Concurrent misses for one key wait for a single render instead of each rendering it.
  const rendering = new Map<string, Promise<RenderedPage | null>>();
  // Requests arriving while the version is being read share that read: under load one Redis
  // round trip answers many requests, instead of each paying for its own.
  let reading: Promise<string | null> | null = null;
  const currentVersion = () =>
    reading ??= readDataVersion(options.cache).finally(() => {
      reading = null;
    });

  return createMiddleware<AppEnv>(async (c, next) => {
    const req = c.req.raw;
    if (isPersonalised(req)) {
      await next();
      setResponseHeaders(c, Object.entries(PRIVATE_RESPONSE_HEADERS));
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return await next();
    const version = await currentVersion();
    if (version === null) {
      // First request after a cache flush (or the cache is down): set a version and render.
      await bumpDataVersion(options.cache);
      return await next();
    }
    const url = new URL(req.url);
    const path = url.pathname + url.search;
    const validators: [string, string][] = [
      ["etag", `W/"${version}.${options.buildId}.${fnv1a(path)}"`],
      // Stored, but checked with the server (a cheap 304) before each use.
      ["cache-control", "no-cache"],
      ["vary", "Cookie, Authorization"],
    ];
    const respond = (page: RenderedPage, source: "hit" | "miss") =>
      new Response(req.method === "HEAD" ? null : page.body, {
        headers: [
          ...page.headers,
          ["content-length", String(page.body.byteLength)],
          ...validators,
          ["x-page-cache", source],
        ],
      });

    if (etagMatches(req.headers.get("if-none-match"), validators[0][1])) {
      return new Response(null, { status: 304, headers: validators });
    }
    const key = `${version} ${path}`;
    const stored = pages.get(key);
    if (stored) return respond(stored, "hit");
    const pending = rendering.get(key);
    if (pending) {
      const page = await pending;
      return page ? respond(page, "hit") : await next();
    }
    // A HEAD response has no body to keep: it renders (or waits) but never fills the cache.
    if (req.method === "HEAD") return await next();

    const render = renderOnce(c, next, options.perVisitorMarkers ?? []);
    rendering.set(key, render);
    try {
      const page = await render;
      if (page) {
        pages.set(key, page);
        c.res = respond(page, "miss");
      }
    } finally {
      rendering.delete(key);
    }
  });
}

/**
 * Renders the page; what it rendered when others may be shown it, else null (and `c.res` is
 * left to answer this request).
 */
async function renderOnce(
  c: Context<AppEnv>,
  next: () => Promise<void>,
  perVisitorMarkers: readonly string[],
): Promise<RenderedPage | null> {
  await next();
  if (!shareable(c.res)) return null;
  const body = new Uint8Array(await c.res.arrayBuffer());
  const html = new TextDecoder().decode(body);
  if (perVisitorMarkers.some((marker) => html.includes(marker))) {
    c.res = new Response(body, c.res); // the body was read: answer with the same bytes
    return null;
  }
  return { body, headers: [...c.res.headers].filter(([name]) => name !== "content-length") };
}
