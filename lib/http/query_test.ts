import assert from "node:assert/strict";
import { HttpError } from "./errors.ts";
import { encodeCursor, QueryParams } from "./query.ts";

const query = (search: string) => QueryParams.of(`http://x/api/news?${search}`);

function rejects(fn: () => unknown, parameter: string, expected: string) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 400);
    assert.equal(error.code, "invalid_query");
    assert.deepEqual(
      { parameter: (error.details as { parameter: string }).parameter, message: error.message },
      { parameter, message: `${parameter}: expected ${expected}` },
    );
    return true;
  });
}

Deno.test("absent and empty parameters give undefined or the fallback", () => {
  const q = query("from=&q=%20");
  assert.equal(q.date("from"), undefined);
  assert.equal(q.text("q"), undefined);
  assert.equal(q.integer("limit", { min: 1, max: 100, fallback: 20 }), 20);
  assert.equal(q.oneOf("order", ["asc", "desc"] as const, "desc"), "desc");
});

Deno.test("valid values are parsed", () => {
  const q = query("from=2024-02-29&limit=50&symbol=brk-b&q=earnings&order=asc");
  assert.equal(q.date("from"), "2024-02-29");
  assert.equal(q.integer("limit", { min: 1, max: 100, fallback: 20 }), 50);
  assert.equal(q.symbol("symbol"), "BRK-B");
  assert.equal(q.text("q"), "earnings");
  assert.equal(q.oneOf("order", ["asc", "desc"] as const, "desc"), "asc");
});

Deno.test("bad values are refused naming the parameter", () => {
  rejects(() => query("from=2024-02-30").date("from"), "from", "a date YYYY-MM-DD");
  rejects(() => query("from=yesterday").date("from"), "from", "a date YYYY-MM-DD");
  rejects(
    () => query("limit=1e3").integer("limit", { min: 1, max: 100, fallback: 20 }),
    "limit",
    "an integer from 1 to 100",
  );
  rejects(
    () => query("limit=0").integer("limit", { min: 1, max: 100, fallback: 20 }),
    "limit",
    "an integer from 1 to 100",
  );
  rejects(() => query("symbol=%3Cscript%3E").symbol("symbol"), "symbol", "a ticker symbol");
  rejects(() => query(`q=${"x".repeat(201)}`).text("q"), "q", "at most 200 characters");
  rejects(
    () => query("order=sideways").oneOf("order", ["asc", "desc"], "desc"),
    "order",
    "one of asc, desc",
  );
});

Deno.test("instants: a date is its midnight UTC; a date-time needs a zone", () => {
  const at = (value: string) => query(`before=${encodeURIComponent(value)}`).instant("before");
  assert.equal(at("2024-03-20")?.toISOString(), "2024-03-20T00:00:00.000Z");
  assert.equal(at("2024-03-20T12:00Z")?.toISOString(), "2024-03-20T12:00:00.000Z");
  assert.equal(at("2024-03-20T12:00:00.250+02:00")?.toISOString(), "2024-03-20T10:00:00.250Z");
  assert.equal(query("").instant("before"), undefined);
  const expected = "a date YYYY-MM-DD or an ISO date-time with a zone";
  for (
    const bad of [
      "2024-03-20T12:00:00",
      "2024-02-30T00:00Z",
      "2024-03-20T25:00Z",
      "now",
      "1710936000",
    ]
  ) {
    rejects(() => at(bad), "before", expected);
  }
  rejects(() => at("2024-02-30"), "before", "a date YYYY-MM-DD");
});

Deno.test("cursors round-trip and garbage is a 400", () => {
  const decode = (value: unknown) => {
    if (!Array.isArray(value) || value.length !== 2) throw new Error("shape");
    return value as [string, number];
  };
  const cursor = encodeCursor(["2024-01-02T15:00:00.000Z", 42]);
  assert.match(cursor, /^[\w-]+$/);
  assert.deepEqual(query(`cursor=${cursor}`).cursor("cursor", decode), [
    "2024-01-02T15:00:00.000Z",
    42,
  ]);
  rejects(
    () => query("cursor=%%%").cursor("cursor", decode),
    "cursor",
    "a cursor returned by a previous page",
  );
  rejects(
    () => query(`cursor=${encodeCursor({ a: 1 })}`).cursor("cursor", decode),
    "cursor",
    "a cursor returned by a previous page",
  );
});
