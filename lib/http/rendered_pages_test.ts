import assert from "node:assert/strict";
import { type RenderedPage, RenderedPages } from "./rendered_pages.ts";

const page = (bytes: number): RenderedPage => ({ body: new Uint8Array(bytes), headers: [] });

Deno.test("RenderedPages: bounded by bytes, least recently used out first", () => {
  const pages = new RenderedPages({ maxBytes: 100, ttlMs: 60_000 });
  pages.set("a", page(40));
  pages.set("b", page(40));
  assert.ok(pages.get("a"), "a is now the most recently used");
  pages.set("c", page(40));
  assert.equal(pages.get("b"), null, "b was the least recently used");
  assert.ok(pages.get("a"));
  assert.ok(pages.get("c"));
  assert.equal(pages.bytes, 80);
  pages.set("a", page(10));
  assert.equal(pages.bytes, 50, "a replaced, not added");
  pages.set("huge", page(101));
  assert.equal(pages.get("huge"), null, "bigger than the whole budget: not kept");
  assert.equal(pages.bytes, 50);
});

Deno.test("RenderedPages: nothing older than the TTL comes back", () => {
  let now = 0;
  const pages = new RenderedPages({ maxBytes: 100, ttlMs: 1_000, now: () => now });
  pages.set("a", page(10));
  now = 999;
  assert.ok(pages.get("a"));
  now = 1_000;
  assert.equal(pages.get("a"), null);
  assert.equal(pages.bytes, 0, "an expired page is dropped when found");
});
