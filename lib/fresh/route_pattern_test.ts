import assert from "node:assert/strict";
import { compareRoutePatterns, matchRoutePattern, parseRoutePath } from "./route_pattern.ts";

Deno.test("parseRoutePath: file paths become Fresh patterns", () => {
  const cases: [string, string][] = [
    ["index", "/"],
    ["about", "/about"],
    ["stocks/index", "/stocks"],
    ["stocks/[symbol]", "/stocks/:symbol"],
    ["stocks/[symbol]/news", "/stocks/:symbol/news"],
    ["docs/[...path]", "/docs/:path*"],
    ["[...all]", "/:all*"],
    ["(marketing)/pricing", "/pricing"],
    ["post-[id]", "/post-:id"],
  ];
  for (const [path, pattern] of cases) assert.equal(parseRoutePath(path).pattern, pattern, path);
});

Deno.test("matchRoutePattern: params are decoded; catch-all takes zero or more segments", () => {
  const match = (path: string, pathname: string) =>
    matchRoutePattern(parseRoutePath(path), pathname);
  assert.deepEqual(match("index", "/"), {});
  assert.equal(match("index", "/x"), null);
  assert.deepEqual(match("stocks/[symbol]", "/stocks/BRK-B"), { symbol: "BRK-B" });
  assert.deepEqual(match("stocks/[symbol]", "/stocks/caf%C3%A9"), { symbol: "café" });
  assert.equal(match("stocks/[symbol]", "/stocks"), null);
  assert.equal(match("stocks/[symbol]", "/stocks/a/b"), null);
  assert.deepEqual(match("docs/[...path]", "/docs"), { path: "" });
  assert.deepEqual(match("docs/[...path]", "/docs/a/b"), { path: "a/b" });
  assert.equal(match("docs/[...path]", "/docsx"), null);
  assert.deepEqual(match("[...all]", "/"), { all: "" });
  assert.deepEqual(match("[...all]", "/x/y"), { all: "x/y" });
  assert.deepEqual(match("post-[id]", "/post-7"), { id: "7" });
  assert.equal(match("about", "/About"), null);
  assert.deepEqual(match("über", "/%C3%BCber"), {});
  assert.throws(() => match("stocks/[symbol]", "/stocks/%E0%A4%A"), URIError);
});

Deno.test("compareRoutePatterns: static before dynamic before catch-all", () => {
  const paths = ["[...all]", "stocks/[symbol]", "stocks/new", "[page]", "index", "stocks/index"];
  const sorted = paths
    .map((path) => parseRoutePath(path))
    .sort(compareRoutePatterns)
    .map((route) => route.pattern);
  assert.deepEqual(sorted, ["/", "/stocks", "/stocks/new", "/stocks/:symbol", "/:page", "/:all*"]);
});

Deno.test("parseRoutePath: rejects malformed segments", () => {
  assert.throws(() => parseRoutePath("[...rest]/more"), /catch-all segment must be the last/);
  assert.throws(() => parseRoutePath("a/[id]/b/[id]"), /"id" appears twice/);
  assert.throws(() => parseRoutePath("a/[id"), /malformed dynamic segment/);
});

Deno.test("parseRoutePath with prefix: matches a folder and what lies below it", () => {
  const admin = parseRoutePath("admin", true);
  assert.ok(admin.regex.test("/admin"));
  assert.ok(admin.regex.test("/admin/users"));
  assert.ok(!admin.regex.test("/administrator"));
  assert.ok(parseRoutePath("", true).regex.test("/anything"));
});
