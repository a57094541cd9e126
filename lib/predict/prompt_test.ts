import { signedPercent } from "./format.ts";
import assert from "node:assert/strict";
import type { SimilarNews } from "../similar/similar_news.ts";
import {
  DEFAULT_PROMPT_TEMPLATE,
  MAX_TEMPLATE_CHARS,
  promptHash,
  PromptTemplateError,
  promptTemplateProblems,
  renderPrompt,
  SYSTEM_PROMPT,
} from "./prompt.ts";
import { formatPrice, PRICE_ROWS, PROMPT_VARIABLES, SUMMARY_CHARS } from "./prompt_variables.ts";
import type { InputBar, ModelInputs } from "./types.ts";

/** 40 bars closing 100, 101, … 139 on consecutive days from 2024-01-01. */
function bars(count: number): InputBar[] {
  return Array.from({ length: count }, (_, i) => ({
    date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    open: 100 + i,
    high: 101 + i,
    low: 99 + i,
    close: 100 + i,
    volume: i === 0 ? null : 1_234_567 + i,
  }));
}

function similar(overrides: Partial<SimilarNews> = {}): SimilarNews {
  return {
    id: 55,
    title: "Rival chipmaker\nbeats estimates",
    url: "https://example.com/55",
    source: "Wire",
    publishedAt: new Date("2023-11-02T13:00:00Z"),
    score: 0.8349,
    symbol: "ACME",
    return1d: -0.021,
    return5d: null,
    ...overrides,
  };
}

function inputs(overrides: Partial<ModelInputs> = {}): ModelInputs {
  return {
    stock: { id: 1, symbol: "ACME", name: "Acme Corp.", exchange: "NASDAQ", assetClass: "equity" },
    asOf: new Date("2024-02-09T21:00:00Z"),
    horizon: 5,
    mode: "replay",
    bars: bars(40),
    indicators: {
      lastClose: 139,
      return1d: 0.0072463,
      return5d: -0.004,
      return20d: 0.1681,
      sma20: 129.5,
      sma50: null,
      distanceFromSma20: 0.07336,
      rsi14: 100,
      volatility20: 0.0512,
    },
    news: [{
      id: 101,
      title: "Acme raises guidance {{symbol}}",
      summary: "Acme said revenue would beat expectations. ".repeat(20),
      source: "Reuters",
      publishedAt: new Date("2024-02-09T14:30:00Z"),
    }, {
      id: 102,
      title: "Acme CFO to step down",
      summary: null,
      source: "Bloomberg",
      publishedAt: new Date("2024-02-08T09:05:00Z"),
    }],
    similar: [similar(), similar({ id: 56, symbol: null, return1d: null, score: 0.5 })],
    retrieval: { k: 5, embedder: "offline:hashed-tfidf-v1:384", query: "Acme raises guidance" },
    ...overrides,
  };
}

Deno.test("the default template has no problems and uses every variable", () => {
  assert.deepEqual(promptTemplateProblems(DEFAULT_PROMPT_TEMPLATE), []);
  for (const name of Object.keys(PROMPT_VARIABLES)) {
    assert.ok(DEFAULT_PROMPT_TEMPLATE.includes(`{{${name}}}`), name);
  }
});

Deno.test("an unknown variable is named, once, with the known ones", () => {
  const problems = promptTemplateProblems(
    "{{symbol}} {{ticker}}\n{{ticker}} {{output_schema}}",
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^unknown variable \{\{ticker\}\} on line 1; known: \{\{symbol\}\}, /);
  assert.ok(problems[0].includes("{{similar_news}}"));
});

Deno.test("spaces inside the braces are allowed; case matters", () => {
  assert.deepEqual(promptTemplateProblems("{{ symbol }} {{output_schema}}"), []);
  assert.match(
    promptTemplateProblems("{{Symbol}} {{output_schema}}")[0],
    /unknown variable \{\{Symbol\}\}/,
  );
});

Deno.test("unbalanced braces are reported with their line", () => {
  assert.deepEqual(promptTemplateProblems("{{output_schema}}\nPrice: {{prices"), [
    'unclosed "{{" on line 2',
  ]);
  assert.deepEqual(promptTemplateProblems("{{output_schema}}\n\nsymbol}}"), [
    'stray "}}" on line 3 (a variable is written {{name}}; put a space between literal braces)',
  ]);
  assert.deepEqual(promptTemplateProblems("{{news {{output_schema}}"), ['unclosed "{{" on line 1']);
  // Single braces are text: a JSON example is fine as long as braces never pair up.
  assert.deepEqual(promptTemplateProblems('{"a": {"b": 1} } {{output_schema}}'), []);
});

Deno.test("an empty, over-long or schema-less template is refused", () => {
  assert.deepEqual(promptTemplateProblems("  \n"), [
    "the template is empty",
    "{{output_schema}} is missing: the model must be told the answer's shape",
  ]);
  const long = `{{output_schema}}${"x".repeat(MAX_TEMPLATE_CHARS)}`;
  assert.deepEqual(promptTemplateProblems(long), [
    `the template is ${long.length} characters long; at most ${MAX_TEMPLATE_CHARS}`,
  ]);
  assert.deepEqual(promptTemplateProblems("Forecast {{symbol}}."), [
    "{{output_schema}} is missing: the model must be told the answer's shape",
  ]);
});

Deno.test("rendering: the fixed system message and the filled-in template", () => {
  const prompt = renderPrompt(
    "{{symbol}} ({{name}}, {{exchange}}) as of {{as_of}}, {{horizon}} days\n{{output_schema}}",
    inputs(),
  );
  assert.equal(prompt.system, SYSTEM_PROMPT);
  assert.match(prompt.user, /^ACME \(Acme Corp\., NASDAQ\) as of 2024-02-09 21:00 UTC, 5 days\n/);
  assert.match(prompt.user, /- "horizon": 5\n/);
  assert.throws(() => renderPrompt("{{nope}}", inputs()), (error) => {
    assert.ok(error instanceof PromptTemplateError);
    assert.equal(error.problems.length, 2);
    return true;
  });
});

Deno.test("numbers are formatted in code: signed percentages, fixed decimals", () => {
  assert.equal(signedPercent(0.0123, 2), "+1.23%");
  assert.equal(signedPercent(-0.004, 2), "-0.40%");
  assert.equal(signedPercent(0, 2), "0.00%");
  assert.equal(signedPercent(-0.00004, 2), "0.00%", "no negative zero");
  assert.equal(formatPrice(1234.5), "1234.50");
  assert.equal(formatPrice(0.000123456), "0.0001235");
  const { user } = renderPrompt("{{indicators}}\n{{output_schema}}", inputs());
  assert.equal(
    user.split("\n").slice(0, 9).join("\n"),
    [
      "last close: 139.00",
      "return over 1 day: +0.72%",
      "return over 5 days: -0.40%",
      "return over 20 days: +16.81%",
      "SMA20 (20-day average close): 129.50",
      "SMA50 (50-day average close): not known (too few bars)",
      "last close vs SMA20: +7.34%",
      "RSI14: 100.0",
      "volatility (20-day, annualised): 5.1%",
    ].join("\n"),
  );
});

Deno.test("prices: the last 30 bars, with the change from the previous close", () => {
  const { user } = renderPrompt("{{prices}}\n{{output_schema}}", inputs());
  const lines = user.split("\n");
  assert.match(lines[0], /^date\s+close\s+change\s+volume$/);
  const rows = lines.slice(1, 1 + PRICE_ROWS);
  assert.equal(rows.length, PRICE_ROWS);
  // Bar 10 (close 110) is the window's first: its change uses bar 9 (close 109), outside it.
  assert.equal(rows[0], "2024-01-11  110.00  +0.92%  1.2M");
  assert.equal(rows.at(-1), "2024-02-09  139.00  +0.72%  1.2M");
  assert.match(lines[1 + PRICE_ROWS], /^One JSON object/);
  const short = renderPrompt("{{prices}}\n{{output_schema}}", inputs({ bars: bars(2) })).user;
  assert.deepEqual(short.split("\n").slice(1, 3), [
    "2024-01-01  100.00  n/a     n/a",
    "2024-01-02  101.00  +1.00%  1.2M",
  ]);
  assert.match(
    renderPrompt("{{prices}} {{output_schema}}", inputs({ bars: [] })).user,
    /^\(no bars\)/,
  );
});

Deno.test("news: numbered, [id], time, source, one-line title, the start of the summary", () => {
  const { user } = renderPrompt("{{news}}\n{{output_schema}}", inputs());
  const lines = user.split("\n");
  // A variable inside a news title is text: the template is filled in one pass.
  assert.equal(lines[0], "1. [101] 2024-02-09 14:30 UTC, Reuters: Acme raises guidance {{symbol}}");
  assert.match(lines[1], /^ {3}Acme said revenue would beat expectations\. Acme said/);
  assert.ok(lines[1].length <= 3 + SUMMARY_CHARS && lines[1].endsWith("…"));
  assert.equal(lines[2], "2. [102] 2024-02-08 09:05 UTC, Bloomberg: Acme CFO to step down");
  assert.match(renderPrompt("{{news}} {{output_schema}}", inputs({ news: [] })).user, /^\(none\)/);
});

Deno.test("similar news: [id], date, similarity, realised returns or 'not yet known'", () => {
  const { user } = renderPrompt("{{similar_news}}\n{{output_schema}}", inputs());
  assert.deepEqual(user.split("\n").slice(0, 4), [
    "1. [55] 2023-11-02, similarity 0.83: Rival chipmaker beats estimates",
    "   ACME afterwards: 1 day -2.10%, 5 days not yet known",
    "2. [56] 2023-11-02, similarity 0.50: Rival chipmaker beats estimates",
    "   returns not known (no stock linked)",
  ]);
  const none = renderPrompt("{{similar_news}} {{output_schema}}", inputs({ similar: [] })).user;
  assert.match(none, /^\(none\)/);
});

Deno.test("the default template renders every section", () => {
  const { user } = renderPrompt(DEFAULT_PROMPT_TEMPLATE, inputs());
  assert.ok(!user.includes("{{output_schema}}") && !user.includes("{{prices}}"));
  for (const text of ["[101]", "[55]", "RSI14: 100.0", "2024-02-09  139.00", '"citedNewsIds"']) {
    assert.ok(user.includes(text), text);
  }
});

Deno.test("promptHash is the sha-256 hex of the text", async () => {
  assert.equal(
    await promptHash("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
