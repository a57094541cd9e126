import assert from "node:assert/strict";
import { parseTelegramHtml } from "../../tests/support/fake_telegram.ts";
import {
  escapeHtml,
  fitEntry,
  formatAlert,
  formatMessages,
  packEntries,
  TELEGRAM_MESSAGE_LIMIT,
  truncateHtmlLine,
} from "./format.ts";
import type { AlertPayload, AlertPrediction } from "./types.ts";

const URL = "https://craveny.example";

function prediction(overrides: Partial<AlertPrediction> = {}): AlertPrediction {
  return {
    id: 7,
    symbol: "AAPL",
    stockName: "Apple Inc.",
    modelId: 2,
    modelName: "momentum",
    direction: "up",
    confidence: 0.823,
    horizon: 5,
    asOf: "2024-03-01T21:00:00.000Z",
    reasoning: "Price above its 20-day average; volume rising.",
    winRate: { rate: 0.561, low: 0.505, high: 0.615, n: 312 },
    ...overrides,
  };
}

const strong = (p: Partial<AlertPrediction> = {}): AlertPayload => ({
  kind: "prediction",
  rule: "strong",
  prediction: prediction(p),
});

/** What the user reads: Telegram's parse of the HTML (throws if Telegram would refuse it). */
const seen = (html: string) => parseTelegramHtml(html);

Deno.test("escapeHtml escapes what Telegram's HTML mode reserves", () => {
  assert.equal(
    escapeHtml(`<a href="x">&amp;</a>`),
    "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;",
  );
});

Deno.test("a strong signal says symbol, direction in words, confidence, horizon, model, link", () => {
  const text = seen(formatAlert(strong(), URL));
  assert.equal(
    text,
    [
      "🔔 Strong signal",
      "AAPL · Apple Inc.",
      "▲ up · 82% confidence · 5 trading days ahead",
      "Model momentum: win rate 56% (95% CI 51%–62%, n = 312)",
      "Price above its 20-day average; volume rising.",
      "AAPL on Craveny",
    ].join("\n"),
  );
  assert.match(formatAlert(strong(), URL), /<a href="https:\/\/craveny\.example\/stocks\/AAPL">/);
  for (const [direction, label] of [["down", "▼ down"], ["flat", "▶ flat"]] as const) {
    assert.match(seen(formatAlert(strong({ direction }), URL)), new RegExp(label));
  }
  assert.match(seen(formatAlert(strong({ winRate: null }), URL)), /momentum: no track record yet/);
  assert.match(seen(formatAlert(strong({ horizon: 1 }), URL)), /1 trading day ahead/);
});

Deno.test("consensus, flip, win-rate and job-failure alerts", () => {
  const consensus = seen(formatAlert({
    kind: "prediction",
    rule: "consensus",
    prediction: prediction({ direction: "down" }),
    agreeing: ["gpt", "momentum", "mean-reversion"],
    of: 4,
  }, URL));
  assert.match(
    consensus,
    /^🤝 Consensus: 3 of 4 models say ▼ down \(gpt, momentum, mean-reversion\)/,
  );
  const flip = seen(formatAlert({
    kind: "prediction",
    rule: "flip",
    prediction: prediction(),
    previousDirection: "down",
    previousAsOf: "2024-02-28T21:00:00.000Z",
  }, URL));
  assert.match(flip, /^🔄 Flip: ▼ down → ▲ up \(previous call 2024-02-28\)/);
  const winRate = formatAlert({
    kind: "win_rate",
    modelId: 3,
    modelName: "gpt <4o>",
    winRate: { rate: 0.42, low: 0.35, high: 0.49, n: 150 },
    threshold: 0.5,
    symbol: null,
  }, URL);
  assert.equal(
    seen(winRate),
    "⚠️ Win rate below 50%\nModel gpt <4o>: win rate 42% (95% CI 35%–49%, n = 150)\ngpt <4o> on Craveny",
  );
  assert.match(winRate, /href="https:\/\/craveny\.example\/models\/3"/);
  const failure = seen(formatAlert({
    kind: "job_failure",
    job: "crawl",
    runId: 12,
    error: "connect ECONNREFUSED <db>",
    at: "2024-03-01T10:00:00Z",
  }, URL));
  assert.equal(
    failure,
    "🛑 Job failed: crawl (run 12)\n2024-03-01T10:00:00Z\nconnect ECONNREFUSED <db>",
  );
});

Deno.test("hostile text is escaped, cut to one line, and the link stays a link", () => {
  const html = formatAlert(
    strong({
      symbol: 'A&B"<x>',
      stockName: "</b><script>alert(1)</script>",
      reasoning: 'line one\nline two <b>not bold</b> & "quoted"',
    }),
    URL,
  );
  const text = seen(html);
  assert.match(text, /^A&B"<x> · <\/b><script>alert\(1\)<\/script>$/m);
  assert.match(text, /^line one line two <b>not bold<\/b> & "quoted"$/m);
  assert.match(html, /href="https:\/\/craveny\.example\/stocks\/A%26B%22%3Cx%3E"/);
});

Deno.test("collapsed alerts and the daily digest get a headline over whole entries", () => {
  const [collapsed] = formatMessages({ collapseKey: "1:2:3", payloads: [strong(), strong()] }, URL);
  assert.equal(collapsed.alerts, 2);
  assert.match(seen(collapsed.text), /^2 alerts within the cooldown\n\n🔔 Strong signal\n/);
  assert.equal(seen(collapsed.text).split("🔔 Strong signal").length, 3);
  const [digest] = formatMessages(
    { collapseKey: "digest:1:2024-03-01", payloads: [strong()] },
    URL,
  );
  assert.match(seen(digest.text), /^📰 Daily digest: 1 alert\n\n🔔 Strong signal/);
  assert.deepEqual(formatMessages({ collapseKey: "1:2:3", payloads: [strong()] }, URL), [
    { text: formatAlert(strong(), URL), alerts: 1 },
  ]);
});

Deno.test("adversarial content splits below 4096 only between entries, never inside a tag or entity", () => {
  const hostile = "<&>".repeat(3400); // 10,200 characters that escape to 4-5 times as many
  const payloads = Array.from({ length: 40 }, (_, i) =>
    strong({
      reasoning: hostile,
      stockName: hostile.slice(0, i * 7),
      modelName: '&"'.repeat(100),
      symbol: `S${i}<&>`,
    }));
  const texts = formatMessages({ collapseKey: "digest:1:2024-03-01", payloads }, URL);
  assert.ok(texts.length > 1);
  let next = 0;
  for (const [index, { text: html, alerts }] of texts.entries()) {
    assert.ok(html.length <= TELEGRAM_MESSAGE_LIMIT, `${html.length}`);
    const text = seen(html); // well-formed for Telegram, or this throws
    assert.ok(text.length <= TELEGRAM_MESSAGE_LIMIT);
    const [headline, ...parts] = text.split("\n\n");
    assert.equal(headline, `📰 Daily digest (${index + 1}/${texts.length}): ${alerts} alerts`);
    assert.equal(parts.length, alerts);
    // Whole entries, in order: each starts with its headline and ends with its own link.
    for (const part of parts) {
      assert.match(part, /^🔔 Strong signal\n/);
      assert.ok(part.endsWith(`S${next}<&> on Craveny`), part.slice(-40));
      assert.match(part, /\n(<&>)+<?&?…\n/); // the reasoning, cut as plain text
      next++;
    }
  }
  assert.equal(next, 40);
});

Deno.test("an entry over the limit loses the end of its longest lines, tags closed", () => {
  const long = ["<b>head</b>", `<i>${"&amp;".repeat(30)}</i>`, "tail"].join("\n");
  const fitted = fitEntry(long, 60);
  assert.ok(fitted.length <= 60);
  assert.match(seen(fitted), /^head\n&+…\ntail$/);
  assert.throws(() => packEntries(["x".repeat(61)], 60), RangeError);
  assert.deepEqual(packEntries(["a", "b", "c".repeat(58)], 60), [
    { text: "a\n\nb", entries: 2 },
    { text: "c".repeat(58), entries: 1 },
  ]);
  const cut = truncateHtmlLine(`<b>bold <i>${"x&lt;".repeat(50)}</i></b> end`, 60);
  assert.ok(cut.length <= 60);
  assert.match(seen(cut), /^bold (x<)+x?…$/);
  assert.equal(truncateHtmlLine("short", 60), "short");
  assert.equal(truncateHtmlLine("ab😀cd", 4), "ab…");
});
