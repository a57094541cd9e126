import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { startTestApp } from "../../tests/support/app.ts";
import { openTestContext } from "../../tests/support/context.ts";
import { addTestNews } from "../../tests/support/news.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import { encodeCursor } from "../http/query.ts";
import { upsertStocks } from "../stocks/store.ts";
import { predictionsRouter } from "./predictions.ts";

const REASONING = 'iPhone sales "slow", margins thin,\nso down';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** Five predictions, named; stored in this order (ids ascend). */
async function seed(sql: Sql) {
  await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
  ]);
  const [slows] = await addTestNews(sql, [
    { title: "iPhone sales slow", publishedAt: new Date("2024-03-04T13:00:00Z") },
  ], new Date("2024-03-04T14:00:00Z"));
  await addTestModels(sql, [
    { name: "momentum" },
    { name: "gpt-judge", provider: "openai", prompt: "Judge {{symbol}}" },
  ]);
  const names = ["momentum-aapl", "gpt-aapl", "momentum-msft", "gpt-msft", "momentum-aapl-new"];
  const ids = await addTestPredictions(sql, [
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      direction: "up",
      confidence: 0.6,
      outcome: { realizedReturn: 0.012, result: "win" },
    },
    {
      model: "gpt-judge",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      direction: "down",
      confidence: 0.8,
      reasoning: REASONING,
      citedNewsIds: [slows],
      abTest: { name: "judges", variant: "B" },
      inputTokens: 1200,
      outputTokens: 150,
      cost: 0.0021,
    },
    {
      model: "momentum",
      symbol: "MSFT",
      asOf: "2024-03-05T21:00:00Z",
      direction: "flat",
      confidence: 0.4,
      mode: "replay",
    },
    {
      model: "gpt-judge",
      symbol: "MSFT",
      asOf: "2024-03-06T00:00:00Z",
      direction: "up",
      confidence: 0.9,
      contaminated: true,
      reasoning: FORMULA,
      outcome: { realizedReturn: -0.03, result: "loss" },
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-06T21:00:00Z",
      direction: "down",
      confidence: 0.7,
    },
  ]);
  const nameOf = new Map(ids.map((id, i) => [id, names[i]]));
  return { slows, named: (page: Page) => page.predictions.map((p) => nameOf.get(p.id)) };
}

const NEWEST_FIRST = [
  "momentum-aapl-new",
  "gpt-msft",
  "momentum-msft",
  "gpt-aapl",
  "momentum-aapl",
];

interface Page {
  predictions: { id: number }[];
  nextCursor: string | null;
}

/** RFC 4180 records (enough for tests: quoted fields with "" escapes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') field += text[i++];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      records.push([...record, field]);
      [record, field] = [[], ""];
      i++;
    } else {
      field += char;
    }
  }
  assert.equal(`${record}${field}`, "", "the last record ends with CRLF");
  return records;
}

Deno.test("/api/predictions", async (t) => {
  const app = await startTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const { slows, named } = await seed(app.context.db.sql);

  const fetch = (path: string) => app.app.fetch(new Request(`http://localhost${path}`));
  const get = async (path: string) => {
    const response = await fetch(path);
    return { status: response.status, body: await response.json() };
  };
  const list = async (path: string) => {
    const { status, body } = await get(path);
    assert.equal(status, 200, path);
    return named(body);
  };

  await t.step("newest first with every field; listed under GET /api", async () => {
    const { status, body } = await get("/api/predictions");
    assert.equal(status, 200);
    assert.deepEqual(named(body), NEWEST_FIRST);
    assert.equal(body.nextCursor, null);
    const { id: _id, createdAt, ...gpt } = body.predictions[3];
    assert.match(createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(gpt, {
      model: { name: "gpt-judge", provider: "openai" },
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00.000Z",
      horizon: 5,
      direction: "down",
      confidence: 0.8,
      reasoning: REASONING,
      citedNews: [{ id: slows, title: "iPhone sales slow", url: gpt.citedNews[0].url }],
      abTest: "judges",
      variant: "B",
      mode: "live",
      contaminated: false,
      cost: 0.0021,
      inputTokens: 1200,
      outputTokens: 150,
      outcome: null,
    });
    assert.deepEqual(body.predictions[4].outcome, { realizedReturn: 0.012, result: "win" });
    const api = (await get("/api")).body;
    assert.ok(
      api.sections.some((section: { path: string }) => section.path === "/api/predictions"),
    );
  });

  await t.step("each filter, and filters combined", async () => {
    assert.deepEqual(await list("/api/predictions?symbol=aapl"), [
      "momentum-aapl-new",
      "gpt-aapl",
      "momentum-aapl",
    ]);
    assert.deepEqual(await list("/api/predictions?model=gpt-judge"), ["gpt-msft", "gpt-aapl"]);
    // An unknown model is a filter that matches nothing, like an unknown symbol.
    assert.deepEqual(await list("/api/predictions?model=nobody"), []);
    assert.deepEqual(await list("/api/predictions?symbol=TSLA"), []);
    assert.deepEqual(await list("/api/predictions?direction=down"), [
      "momentum-aapl-new",
      "gpt-aapl",
    ]);
    assert.deepEqual(await list("/api/predictions?minConfidence=0.8"), ["gpt-msft", "gpt-aapl"]);
    assert.deepEqual(await list("/api/predictions?minConfidence=1"), []);
    assert.deepEqual(await list("/api/predictions?minConfidence=.6"), [
      "momentum-aapl-new",
      "gpt-msft",
      "gpt-aapl",
      "momentum-aapl",
    ]);
    assert.deepEqual(await list("/api/predictions?from=2024-03-06"), [
      "momentum-aapl-new",
      "gpt-msft",
    ]);
    assert.deepEqual(await list("/api/predictions?to=2024-03-05"), NEWEST_FIRST.slice(2));
    assert.deepEqual(await list("/api/predictions?mode=replay"), ["momentum-msft"]);
    assert.deepEqual(await list("/api/predictions?contaminated=only"), ["gpt-msft"]);
    assert.deepEqual(
      await list("/api/predictions?contaminated=exclude"),
      NEWEST_FIRST.filter((name) => name !== "gpt-msft"),
    );
    assert.deepEqual(
      await list(
        "/api/predictions?symbol=AAPL&model=momentum&direction=up&minConfidence=0.5" +
          "&from=2024-03-01&to=2024-03-05&mode=live&contaminated=exclude",
      ),
      ["momentum-aapl"],
    );
    // Empty values are absent filters (what a form's "any" choice sends).
    assert.deepEqual(
      await list("/api/predictions?symbol=&model=&direction=&minConfidence=&mode=&from=&to="),
      NEWEST_FIRST,
    );
  });

  await t.step("bad parameters are 400s naming the parameter", async () => {
    for (
      const [query, parameter] of [
        ["symbol=not%20a%20symbol", "symbol"],
        [`model=${"m".repeat(101)}`, "model"],
        ["direction=sideways", "direction"],
        ["minConfidence=1.5", "minConfidence"],
        ["minConfidence=-0.1", "minConfidence"],
        ["minConfidence=1e-1", "minConfidence"],
        ["minConfidence=NaN", "minConfidence"],
        ["minConfidence=0.7abc", "minConfidence"],
        ["from=2024-02-30", "from"],
        ["to=tomorrow", "to"],
        ["mode=paper", "mode"],
        ["contaminated=maybe", "contaminated"],
        ["limit=0", "limit"],
        ["limit=501", "limit"],
        ["limit=ten", "limit"],
        ["format=xml", "format"],
        ["cursor=garbage", "cursor"],
        [`cursor=${encodeCursor({ asOf: "2024-03-05", id: 1 })}`, "cursor"],
        [`cursor=${encodeCursor(["not a date", 1])}`, "cursor"],
        [`cursor=${encodeCursor(["2024-03-05T00:00:00.000Z", 0])}`, "cursor"],
        [`cursor=${encodeCursor(["2024-03-05T00:00:00.000Z", "7"])}`, "cursor"],
      ]
    ) {
      const { status, body } = await get(`/api/predictions?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.code, "invalid_query", query);
      assert.equal(body.error.details.parameter, parameter, query);
      assert.match(body.error.message, new RegExp(`^${parameter}: expected `), query);
    }
    const reversed = await get("/api/predictions?from=2024-03-06&to=2024-03-01");
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.error.message, "from must not be after to");
    // The CSV export refuses the same mistakes with the same JSON error.
    const csv = await fetch("/api/predictions?format=csv&direction=sideways");
    assert.equal(csv.status, 400);
    assert.equal((await csv.json()).error.details.parameter, "direction");
  });

  await t.step("cursor pages cover every row exactly once, filters on every page", async () => {
    const walk = async (path: string) => {
      const pages: Page[] = [];
      let cursor: string | null = null;
      do {
        const { status, body }: { status: number; body: Page } = await get(
          cursor === null ? path : `${path}&cursor=${cursor}`,
        );
        assert.equal(status, 200);
        pages.push(body);
        cursor = body.nextCursor;
      } while (cursor !== null && pages.length < 10);
      return pages;
    };
    for (const limit of [1, 2, 3, 4, 5, 6]) {
      const pages = await walk(`/api/predictions?limit=${limit}`);
      assert.deepEqual(pages.flatMap(named), NEWEST_FIRST, `limit ${limit}`);
      assert.ok(pages.slice(0, -1).every((page) => page.predictions.length === limit));
    }
    const apple = await walk("/api/predictions?symbol=AAPL&limit=2");
    assert.deepEqual(apple.map(named), [["momentum-aapl-new", "gpt-aapl"], ["momentum-aapl"]]);
  });

  await t.step("format=csv: headers, a header row, every matching row", async () => {
    const response = await fetch("/api/predictions?format=csv&limit=1");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(
      response.headers.get("content-disposition"),
      'attachment; filename="predictions.csv"',
    );
    assert.equal(response.headers.get("x-export-truncated"), "false");
    const text = await response.text();
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, [
      "id",
      "asOf",
      "symbol",
      "model",
      "provider",
      "horizon",
      "direction",
      "confidence",
      "reasoning",
      "citedNewsIds",
      "citedNewsUrls",
      "abTest",
      "variant",
      "mode",
      "contaminated",
      "cost",
      "inputTokens",
      "outputTokens",
      "realizedReturn",
      "result",
      "createdAt",
    ]);
    assert.equal(rows.length, 5, "limit is for JSON pages: the export has every match");
    const column = (name: string) => header.indexOf(name);
    const byId = (row: string[]) => row[column("id")];
    const json = (await get("/api/predictions")).body;
    assert.deepEqual(rows.map(byId), json.predictions.map((p: { id: number }) => String(p.id)));

    const gpt = rows[3];
    assert.deepEqual(
      [
        "asOf",
        "symbol",
        "model",
        "provider",
        "direction",
        "confidence",
        "reasoning",
        "citedNewsIds",
        "abTest",
        "variant",
        "mode",
        "contaminated",
        "cost",
        "inputTokens",
        "realizedReturn",
      ].map((name) => gpt[column(name)]),
      [
        "2024-03-04T21:00:00.000Z",
        "AAPL",
        "gpt-judge",
        "openai",
        "down",
        "0.8",
        REASONING,
        String(slows),
        "judges",
        "B",
        "live",
        "false",
        "0.0021",
        "1200",
        "",
      ],
    );
    assert.match(gpt[column("citedNewsUrls")], /^https:\/\/news\.example\/\S+$/);
    // The quoting itself, as bytes: quotes doubled, the whole field quoted.
    assert.ok(text.includes(`,"iPhone sales ""slow"", margins thin,\nso down",`));
    // A formula is defused; a negative return stays a number.
    const contaminated = rows[1];
    assert.equal(contaminated[column("reasoning")], `'${FORMULA}`);
    assert.equal(contaminated[column("realizedReturn")], "-0.03");
    assert.equal(contaminated[column("result")], "loss");
    assert.equal(contaminated[column("contaminated")], "true");
  });

  await t.step("format=csv applies the filters (and the cursor)", async () => {
    const ids = async (path: string) => {
      const [, ...rows] = parseCsv(await (await fetch(path)).text());
      return rows.map((row) => Number(row[0]));
    };
    const apple = (await get("/api/predictions?symbol=AAPL&direction=down")).body;
    assert.deepEqual(
      await ids("/api/predictions?format=csv&symbol=AAPL&direction=down"),
      apple.predictions.map((p: { id: number }) => p.id),
    );
    assert.deepEqual(await ids("/api/predictions?format=csv&model=nobody"), []);
    const first = (await get("/api/predictions?limit=2")).body;
    const rest = (await get(`/api/predictions?cursor=${first.nextCursor}`)).body;
    assert.deepEqual(
      await ids(`/api/predictions?format=csv&cursor=${first.nextCursor}`),
      rest.predictions.map((p: { id: number }) => p.id),
    );
  });
});

Deno.test("/api/predictions?format=csv streams in batches up to the cap, and says when it cut", async () => {
  await using context = await openTestContext();
  await seed(context.db.sql);
  const exportIds = async (limits: { cap: number; batch: number }, query = "") => {
    const response = await predictionsRouter(context, limits).fetch(
      new Request(`http://localhost/?format=csv${query}`),
    );
    const [, ...rows] = parseCsv(await response.text());
    return { truncated: response.headers.get("x-export-truncated"), rows: rows.length };
  };
  assert.deepEqual(await exportIds({ cap: 100, batch: 2 }), { truncated: "false", rows: 5 });
  assert.deepEqual(await exportIds({ cap: 5, batch: 2 }), { truncated: "false", rows: 5 });
  assert.deepEqual(await exportIds({ cap: 3, batch: 2 }), { truncated: "true", rows: 3 });
  assert.deepEqual(await exportIds({ cap: 4, batch: 1 }), { truncated: "true", rows: 4 });
  assert.deepEqual(await exportIds({ cap: 3, batch: 2 }, "&symbol=MSFT"), {
    truncated: "false",
    rows: 2,
  });
});
