import assert from "node:assert/strict";
import { filterQuery, predictionsUrl } from "./filter_query.ts";

Deno.test("filterQuery: the form's fields without empty values and defaults", () => {
  const fields: [string, string][] = [
    ["symbol", " aapl "],
    ["model", ""],
    ["direction", "up"],
    ["minConfidence", "0.7"],
    ["from", ""],
    ["to", ""],
    ["mode", ""],
    ["contaminated", "include"],
  ];
  assert.equal(filterQuery(fields).toString(), "symbol=aapl&direction=up&minConfidence=0.7");
  assert.equal(filterQuery([["contaminated", "exclude"]]).toString(), "contaminated=exclude");
});

Deno.test("filterQuery: files are not filters; predictionsUrl drops an empty query", () => {
  const form = new FormData();
  form.append("symbol", "MSFT");
  form.append("upload", new File(["x"], "x.txt"));
  assert.equal(filterQuery(form).toString(), "symbol=MSFT");
  assert.equal(predictionsUrl(new URLSearchParams()), "/predictions");
  assert.equal(predictionsUrl(new URLSearchParams({ mode: "live" })), "/predictions?mode=live");
});
