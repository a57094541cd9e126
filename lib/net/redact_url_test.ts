import assert from "node:assert/strict";
import { redactUrl } from "./redact_url.ts";

Deno.test("secret query values and user-info are redacted", () => {
  assert.equal(
    redactUrl("https://api.example.com/v3/x?vs_currency=usd&x_cg_demo_api_key=CG-abc123&days=5"),
    "https://api.example.com/v3/x?vs_currency=usd&x_cg_demo_api_key=***&days=5",
  );
  assert.equal(
    redactUrl("https://user:pass@example.com/feed?token=t1&token=t2"),
    "https://***@example.com/feed?token=***",
  );
  assert.equal(redactUrl("https://example.com/a?apikey=1&crumb=2&sig=3").includes("1"), false);
});

Deno.test("a URL without secrets is returned byte for byte", () => {
  const url = "https://query1.finance.yahoo.com/v8/finance/chart/AAPL?period1=1&interval=1d" +
    "&events=split,div";
  assert.equal(redactUrl(url), url);
  assert.equal(
    redactUrl(new URL("http://127.0.0.1:8000/q/d/l/?s=aapl.us&i=d")),
    "http://127.0.0.1:8000/q/d/l/?s=aapl.us&i=d",
  );
});

Deno.test("an unparsable URL never leaks", () => {
  assert.equal(redactUrl("not a url?key=secret"), "<invalid URL>");
});
