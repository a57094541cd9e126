import assert from "node:assert/strict";
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";
import { parseFeed } from "./feed_parse.ts";

const FETCHED_AT = new Date("2024-02-04T00:00:00Z");

function fixture(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

function payload(body: Uint8Array | string, url: string, contentType = "application/rss+xml") {
  return {
    source: "feed",
    url,
    contentType,
    body: typeof body === "string" ? new TextEncoder().encode(body) : body,
    fetchedAt: FETCHED_AT,
  } satisfies FetchedPayload;
}

const MARKETS = "https://markets.example.com/feeds/markets.rss";

Deno.test("RSS 2.0: HTML descriptions, tracking links, mixed zones, relative links", () => {
  const { rows, rejected } = parseFeed(payload(fixture("rss_finance.xml"), MARKETS));
  assert.deepEqual(rows.map((row) => [row.url, row.publishedAt?.toISOString() ?? null]), [
    ["https://markets.example.com/news/apple-q1-earnings-beat?id=1001", "2024-02-01T21:35:00.000Z"],
    ["https://markets.example.com/news/microsoft-openai-deal", "2024-02-02T14:00:00.000Z"],
    // relative link resolved against the feed URL; dc:date with an offset
    ["https://markets.example.com/news/nvidia-record-high", "2024-02-02T20:30:00.000Z"],
    // no date: null, the loader falls back to fetched_at
    ["https://markets.example.com/news/treasury-yields-edge-lower", null],
    // guid permalink; PST, 2-digit year, no seconds, wrong weekday
    ["https://markets.example.com/news/tesla-cuts-prices", "2024-02-02T17:15:00.000Z"],
    // EDT, no weekday
    ["https://markets.example.com/news/att-verizon-dividends", "2023-07-15T12:00:00.000Z"],
    // 2031: unusable
    ["https://markets.example.com/news/amazon-logistics-hub", null],
  ]);
  assert.deepEqual(rejected, [
    { at: 5, reason: "no link" },
    { at: 6, reason: "no title" },
    { at: 9, reason: "duplicate link (same as entry 1)" },
    { at: 11, reason: 'link is not an http(s) URL: "javascript:void(0)"' },
  ]);

  const [apple, microsoft, nvidia, , tesla, att] = rows;
  assert.deepEqual(apple, {
    url: "https://markets.example.com/news/apple-q1-earnings-beat?id=1001",
    title: "Apple’s (AAPL) Q1 Earnings Beat Estimates, Revenues Up Y/Y",
    summary:
      "Apple Inc. reported revenue of $119.6 billion, up 2% from a year earlier. Services set a record.",
    publishedAt: new Date("2024-02-01T21:35:00.000Z"),
    source: "Example Markets & Money",
    language: "en-us",
    symbols: [],
  });
  // CDATA title with markup; script and pixel dropped from the description.
  assert.equal(microsoft.title, "Microsoft & OpenAI: what the new deal means");
  assert.equal(
    microsoft.summary,
    "Microsoft shares rose 1.2% after the two companies expanded their partnership.",
  );
  // content:encoded when there is no description; media:description inside media:group.
  assert.equal(nvidia.summary, "Shares of NVIDIA Corporation climbed 4%.");
  assert.equal(tesla.summary, "Tesla lowered prices for the third time this year.");
  // Double-escaped entity; a description repeating the title is no summary.
  assert.equal(att.title, "AT&T and Verizon: which dividend is safer?");
  assert.equal(att.summary, null);
});

Deno.test("Atom: alternate link among others, xml:base, text constructs, id as permalink", () => {
  const { rows, rejected } = parseFeed(
    payload(
      fixture("atom.xml"),
      "https://research.example.org/feeds/atom.xml",
      "application/atom+xml",
    ),
  );
  assert.deepEqual(rows, [
    {
      url: "https://research.example.org/blog/2024/02/meta-ai-spending",
      title: "Meta Platforms doubles down on AI spending",
      summary: "Capex guidance rose to $30bn. Shares jumped 20%.",
      publishedAt: new Date("2024-02-02T12:00:00Z"),
      source: "Example Research Blog",
      language: "en-gb",
      symbols: [],
    },
    {
      // relative href resolved against xml:base, not the feed URL
      url: "https://research.example.org/blog/2024/02/alphabet-cloud",
      title: "Alphabet: Cloud-Umsatz steigt",
      summary: "Google Cloud wuchs um 26 %.",
      publishedAt: new Date("2024-02-01T18:00:00Z"),
      source: "Example Research Blog",
      language: "de",
      symbols: [],
    },
    {
      url: "https://research.example.org/blog/2024/01/jpmorgan-dividend",
      title: "JPMorgan raises its dividend",
      summary: "JPMorgan Chase & Co. lifted its payout…",
      publishedAt: new Date("2024-01-30T12:00:00Z"),
      source: "Example Research Blog",
      language: "en-gb",
      symbols: [],
    },
  ]);
  assert.deepEqual(rejected, [{ at: 4, reason: "no link" }, { at: 5, reason: "no title" }]);
});

Deno.test("a per-ticker feed parses like any other (the caller tags the stock)", () => {
  const { rows, rejected } = parseFeed(
    payload(fixture("rss_ticker_aapl.xml"), "https://finance.example.com/rss/headline?s=AAPL"),
  );
  assert.equal(rejected.length, 0);
  assert.equal(rows.length, 3);
  assert.ok(
    rows.every((row) => row.symbols.length === 0 && row.source === "Yahoo! Finance: AAPL News"),
  );
  assert.equal(
    rows[2].url,
    "https://finance.example.com/news/apple-quarterly-profit-213000789.html",
  );
});

Deno.test("RSS 1.0 (RDF) in ISO-8859-1", () => {
  const { rows, rejected } = parseFeed(
    payload(fixture("rdf.xml"), "https://wire.example.net/rss", "application/rdf+xml"),
  );
  assert.equal(rejected.length, 0);
  assert.equal(
    rows[0].summary,
    "Oil majors' earnings fell as crude prices eased, says Société Générale.",
  );
  assert.equal(rows[0].source, "Example Wire");
  assert.equal(rows[0].language, "en");
  // No <link>: rdf:about. A bare date: the latest instant it can mean, capped at the fetch.
  assert.equal(rows[1].url, "https://wire.example.net/a/2");
  assert.equal(rows[1].publishedAt?.toISOString(), "2024-02-02T11:59:59.999Z");
});

Deno.test("the host is the source when the feed has no title", () => {
  const xml =
    `<rss version="2.0"><channel><item><title>T</title><link>/a</link></item></channel></rss>`;
  const { rows } = parseFeed(payload(xml, "https://www.news.example.com/rss"));
  assert.equal(rows[0].source, "news.example.com");
  assert.equal(rows[0].url, "https://www.news.example.com/a");
  assert.equal(rows[0].language, null);
});

Deno.test("lenient where readers are: bare ampersands, HTML entities, no Atom namespace", () => {
  const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Caf&eacute;</title>
    <item><title>Q&A: S&P 500&nbsp;outlook</title><link>https://x.example/a?b=1&c=2</link></item>
    </channel></rss>`;
  const { rows } = parseFeed(payload(rss, "https://x.example/rss"));
  assert.equal(rows[0].title, "Q&A: S&P 500 outlook");
  assert.equal(rows[0].url, "https://x.example/a?b=1&c=2");
  assert.equal(rows[0].source, "Café");

  const userland = `<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel>
    <title>Old</title><item><title>U</title><link>https://x.example/u</link></item></channel></rss>`;
  assert.equal(
    parseFeed(payload(userland, "https://x.example/rss")).rows[0].url,
    "https://x.example/u",
  );

  const atom = `<feed><title>F</title><entry><title>E</title><link href="https://x.example/e"/>
    <updated>2024-01-01T00:00:00Z</updated></entry></feed>`;
  assert.equal(
    parseFeed(payload(atom, "https://x.example/atom")).rows[0].url,
    "https://x.example/e",
  );
});

Deno.test("an empty feed has no rows and no rejections", () => {
  const xml = `<rss version="2.0"><channel><title>Quiet</title></channel></rss>`;
  assert.deepEqual(parseFeed(payload(xml, "https://x.example/rss")), { rows: [], rejected: [] });
});

Deno.test("what is not a complete feed throws PayloadError", () => {
  const cases: [string | Uint8Array, RegExp][] = [
    [fixture("error_page.html"), /HTML page/],
    [fixture("truncated.xml"), /truncated: <rss> is never closed/],
    ['{"items":[{"title":"x"}]}', /JSON/],
    ["[1,2]", /JSON/],
    ["", /empty/],
    ["   \n", /empty/],
    ["just some text", /no XML element/],
    ['<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', /HTML page/],
    [
      '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
      /root <urlset>/,
    ],
    ['<rss version="2.0"><item><title>x</title></item></rss>', /without a <channel>/],
    ['<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>', /truncated/],
  ];
  for (const [body, message] of cases) {
    assert.throws(
      () => parseFeed(payload(body, "https://x.example/feed")),
      (error: unknown) => error instanceof PayloadError && message.test(error.message),
      String(message),
    );
  }
});

Deno.test("a download cut at any point is detected as truncated", () => {
  const full = new TextDecoder().decode(fixture("rss_finance.xml"));
  const rootStart = full.indexOf("<rss");
  const rootEnd = full.lastIndexOf(">");
  let checked = 0;
  for (let cut = rootStart + 5; cut < rootEnd; cut += 7) {
    assert.throws(
      () => parseFeed(payload(full.slice(0, cut), MARKETS)),
      PayloadError,
      `cut at ${cut}`,
    );
    checked++;
  }
  assert.ok(checked > 500);
  assert.equal(parseFeed(payload(full, MARKETS)).rows.length, 7);
});
