// Files under static/, served at /static/<path> with an ETag (304 on a match) and a short cache.
// Paths are checked segment by segment and against the real path, so neither "..", encoded
// slashes nor symlinks can reach outside the folder.
import { extname, join, sep } from "node:path";
import { notFoundText as notFound } from "./responses.ts";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** True when an If-None-Match header lists `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

/** Segments of a safe relative path, or null for anything that could escape or is hidden. */
export function safeSegments(encodedPath: string): string[] | null {
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return null;
  }
  if (path.includes("\\") || path.includes("\0")) return null;
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment.startsWith("."))) return null;
  return segments;
}

export interface StaticFiles {
  /** `encodedPath` is the part of the URL path after "/static/". */
  serve(req: Request, encodedPath: string): Promise<Response>;
}

interface Cached {
  mtime: number;
  size: number;
  etag: string;
}

async function hashEtag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `"${Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

export function createStaticFiles(dir: string, options: { dev: boolean }): StaticFiles {
  const etags = new Map<string, Cached>();
  const cacheControl = options.dev ? "no-cache" : "public, max-age=300";
  let realDir: Promise<string | null> | null = null;

  return {
    async serve(req, encodedPath) {
      const segments = safeSegments(encodedPath);
      if (!segments) return notFound();
      realDir ??= Deno.realPath(dir).catch(() => null);
      const root = await realDir;
      if (!root) return notFound();
      const path = join(root, ...segments);
      let info: Deno.FileInfo;
      let real: string;
      try {
        real = await Deno.realPath(path);
        info = await Deno.stat(real);
      } catch {
        return notFound();
      }
      if (!info.isFile || !real.startsWith(root + sep)) return notFound();

      const mtime = info.mtime?.getTime() ?? 0;
      let cached = etags.get(real);
      let bytes: Uint8Array<ArrayBuffer> | null = null;
      if (!cached || cached.mtime !== mtime || cached.size !== info.size) {
        bytes = await Deno.readFile(real);
        cached = { mtime, size: info.size, etag: await hashEtag(bytes) };
        etags.set(real, cached);
      }
      const headers = new Headers({
        "content-type": contentType(real),
        "cache-control": cacheControl,
        etag: cached.etag,
        "x-content-type-options": "nosniff",
      });
      if (etagMatches(req.headers.get("if-none-match"), cached.etag)) {
        return new Response(null, { status: 304, headers });
      }
      bytes ??= await Deno.readFile(real);
      headers.set("content-length", String(bytes.byteLength));
      return new Response(req.method === "HEAD" ? null : bytes, { headers });
    },
  };
}
