import assert from "node:assert/strict";
import { canonicalUrl } from "./canonical_url.ts";

Deno.test("lower-cases scheme and host, drops default ports, fragment and userinfo", () => {
  assert.equal(
    canonicalUrl("HTTPS://WWW.Example.COM:443/News/Apple-Earnings.html#comments"),
    "https://www.example.com/News/Apple-Earnings.html",
  );
  assert.equal(canonicalUrl("http://example.com:80/a"), "http://example.com/a");
  assert.equal(canonicalUrl("http://example.com:8080/a"), "http://example.com:8080/a");
  assert.equal(canonicalUrl("https://user:pw@example.com./a"), "https://example.com/a");
  assert.equal(canonicalUrl("https://example.com"), "https://example.com/");
});

Deno.test("drops tracking parameters and sorts the rest, keeping their encoding", () => {
  assert.equal(
    canonicalUrl(
      "https://finance.example.com/news/x?utm_source=rss&utm_medium=feed&id=42&fbclid=abc&a=1" +
        "&gclid=1&mc_cid=2&mc_eid=3&ref=home&cmpid=4&guccounter=1&guce_referrer=aHR0&soc_src=x" +
        "&yptr=yahoo&.tsrc=rss&UTM_Campaign=y",
    ),
    "https://finance.example.com/news/x?a=1&id=42",
  );
  assert.equal(
    canonicalUrl("https://example.com/s?q=a%20b&path=%2Fx&b=2&b=1"),
    "https://example.com/s?b=2&b=1&path=%2Fx&q=a%20b",
  );
  // Only tracking parameters: no trailing "?".
  assert.equal(canonicalUrl("https://example.com/a?utm_source=x"), "https://example.com/a");
  assert.equal(canonicalUrl("https://example.com/a?"), "https://example.com/a");
  assert.equal(canonicalUrl("https://example.com/a?&&x=1&"), "https://example.com/a?x=1");
  // Look-alikes of tracking names stay.
  assert.equal(
    canonicalUrl("https://example.com/a?reference=1"),
    "https://example.com/a?reference=1",
  );
});

Deno.test("two tracking variants of one story give one URL", () => {
  const a = canonicalUrl("https://news.example.com/2024/01/apple?utm_source=twitter#top");
  const b = canonicalUrl("https://NEWS.example.com:443/2024/01/apple?fbclid=xyz&utm_medium=s");
  assert.equal(a, b);
});

Deno.test("resolves relative links against the feed URL", () => {
  const base = "https://example.com/feeds/markets.xml";
  assert.equal(canonicalUrl("/news/1?utm_source=rss", base), "https://example.com/news/1");
  assert.equal(canonicalUrl("story-2.html", base), "https://example.com/feeds/story-2.html");
  assert.equal(canonicalUrl("//cdn.example.org/x", base), "https://cdn.example.org/x");
  assert.equal(canonicalUrl("  https://other.example/a  ", base), "https://other.example/a");
});

Deno.test("not an http(s) URL: null", () => {
  for (const raw of ["", "  ", "not a url", "javascript:alert(1)", "mailto:a@b.c", "ftp://x/y"]) {
    assert.equal(canonicalUrl(raw), null, raw);
  }
  assert.equal(canonicalUrl("relative/only"), null);
  assert.equal(canonicalUrl("javascript:alert(1)", "https://example.com/"), null);
});
