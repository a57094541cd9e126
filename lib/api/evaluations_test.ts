import assert from "node:assert/strict";
import { startTestApp } from "../../tests/support/app.ts";
import { seedEvaluations } from "../../tests/support/evaluations.ts";

interface Row {
  rank: number | null;
  model: { name: string };
  significantlyAhead: boolean | null;
  [metric: string]: unknown;
}

const near = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${message ?? "value"}: ${actual}`);

/** Everything a model with no scored predictions shows besides its identity. */
const NO_DATA = {
  n: 0,
  wins: 0,
  losses: 0,
  flats: 0,
  winRate: null,
  pValue: null,
  meanStrategyReturn: null,
  cumulativeReturn: null,
  meanNetReturn: null,
  cumulativeNetReturn: null,
  excessVsBuyAndHold: null,
  excessVsIndex: null,
  sharpe: null,
  sortino: null,
  maxDrawdown: null,
  brier: null,
  icMean: null,
  icIr: null,
};

Deno.test("/api/evaluations", async (t) => {
  const app = await startTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const { models, experiment } = await seedEvaluations(app.context.db.sql);

  const get = async (path: string) => {
    const response = await app.app.fetch(new Request(`http://localhost${path}`));
    const text = await response.text();
    assert.doesNotMatch(text, /NaN|Infinity/, path);
    return { status: response.status, body: JSON.parse(text) };
  };
  const board = async (query = "") => {
    const { status, body } = await get(`/api/evaluations${query}`);
    assert.equal(status, 200, query);
    return body;
  };
  const order = (body: { models: Row[] }) => body.models.map((row) => row.model.name);

  await t.step("the leaderboard ranks by win rate by default, no data last", async () => {
    const body = await board();
    assert.deepEqual(
      { mode: body.mode, window: body.window, population: body.population, rankBy: body.rankBy },
      { mode: "live", window: "all", population: "clean", rankBy: "winRate" },
    );
    assert.deepEqual(order(body), ["alpha", "beta", "gamma", "fresh", "idle"]);
    assert.deepEqual(body.models.map((row: Row) => row.rank), [1, 2, 3, null, null]);
    const [alpha] = body.models;
    assert.deepEqual(alpha, {
      rank: 1,
      model: { id: models.alpha, name: "alpha", provider: "builtin", active: true },
      n: 10,
      wins: 7,
      losses: 2,
      flats: 1,
      winRate: { value: 0.78, low: 0.45, high: 0.94 },
      pValue: 0.289,
      meanStrategyReturn: 0.004,
      cumulativeReturn: 0.032,
      meanNetReturn: 0.003,
      cumulativeNetReturn: 0.024,
      excessVsBuyAndHold: 0.002,
      excessVsIndex: -0.001,
      sharpe: 1.2,
      sortino: 1.8,
      maxDrawdown: 0.04,
      brier: 0.2,
      icMean: 0.1,
      icIr: 0.5,
      periodStart: "2024-03-03",
      periodEnd: "2024-03-10",
      computedAt: alpha.computedAt,
      significantlyAhead: true,
    });
    assert.match(alpha.computedAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(body.models[1].significantlyAhead, null, "only the leader's lead is tested");
  });

  await t.step("a model with zero predictions is n 0 and nulls, snapshot or not", async () => {
    const { models: rows } = await board();
    const [fresh, idle] = rows.slice(3);
    for (const [row, name] of [[idle, "idle"], [fresh, "fresh"]] as const) {
      const { rank, model, significantlyAhead, periodStart, periodEnd, computedAt: _, ...rest } =
        row;
      assert.deepEqual(
        { rank, name: model.name, significantlyAhead, periodStart, periodEnd, ...rest },
        {
          rank: null,
          name,
          significantlyAhead: null,
          periodStart: null,
          periodEnd: null,
          ...NO_DATA,
        },
      );
    }
    assert.equal(fresh.computedAt, null);
  });

  await t.step("the lead: McNemar when ranking by win rate, with the shared calls", async () => {
    const { lead } = await board();
    assert.equal(lead.leader.name, "alpha");
    assert.equal(lead.runnerUp.name, "beta");
    assert.equal(lead.test, "mcnemar");
    assert.equal(lead.significant, true);
    const { shared, aOnly, bOnly, mcnemarP, meanDifference, differenceLow, differenceHigh } =
      lead.comparison;
    assert.deepEqual([shared, aOnly, bOnly], [32, 8, 0]);
    // Exact two-sided on the 8 discordant AAPL calls: 2 × (1/2)^8. There alpha earned 1% where
    // beta lost 1%; on the 24 other calls both earned 1%: 8 × 2% / 32.
    near(mcnemarP, 2 / 2 ** 8, "McNemar p");
    near(meanDifference, 8 * 0.02 / 32, "mean difference");
    assert.ok(
      0 < differenceLow && differenceLow < meanDifference && meanDifference < differenceHigh,
    );
    assert.deepEqual(lead.favoured, { mcnemar: "a", bootstrap: "a" });
  });

  await t.step("rankBy orders by the metric, lower first where lower is better", async () => {
    const sharpe = await board("?rankBy=sharpe");
    assert.deepEqual(order(sharpe), ["beta", "alpha", "gamma", "fresh", "idle"]);
    assert.deepEqual(sharpe.models.map((row: Row) => row.rank), [1, 2, null, null, null]);
    // beta leads on Sharpe, but on the calls both made alpha earned more: no meaningful lead.
    assert.equal(sharpe.lead.test, "bootstrap");
    assert.equal(sharpe.lead.significant, false);
    assert.deepEqual(sharpe.lead.favoured, { mcnemar: "b", bootstrap: "b" });
    assert.equal(sharpe.models[0].significantlyAhead, false);

    assert.deepEqual(order(await board("?rankBy=maxDrawdown")), [
      "gamma",
      "beta",
      "alpha",
      "fresh",
      "idle",
    ]);
    const brier = await board("?rankBy=brier");
    assert.deepEqual(order(brier), ["beta", "alpha", "gamma", "fresh", "idle"]);
    assert.equal(brier.lead.test, "mcnemar");
    // Ranked models with no value for the metric sort after those with one, most data first.
    assert.deepEqual(order(await board("?rankBy=icMean")), [
      "alpha",
      "beta",
      "gamma",
      "fresh",
      "idle",
    ]);
    const single = await board("?rankBy=icIr");
    assert.equal(single.lead, null, "one ranked model: no lead to test");
    assert.equal(single.models[0].significantlyAhead, null);
  });

  await t.step("other modes, windows and populations have their own snapshots", async () => {
    const replay = await board("?mode=replay");
    assert.ok(replay.models.every((row: Row) => row.n === 0 && row.rank === null));
    assert.equal(replay.lead, null);
    assert.deepEqual(order(replay), ["alpha", "beta", "fresh", "gamma", "idle"], "by name");
    const month = await board("?window=30&population=contaminated");
    assert.deepEqual([month.window, month.population], ["30", "contaminated"]);
    assert.ok(month.models.every((row: Row) => row.n === 0));
    // Empty values are the defaults (what a form's default choice sends).
    assert.deepEqual(
      order(await board("?mode=&window=&population=&rankBy=")),
      order(await board()),
    );
  });

  await t.step(
    "a model: its snapshot, curve against buy-and-hold, calibration, stocks",
    async () => {
      const { status, body } = await get(`/api/evaluations/models/${models.alpha}`);
      assert.equal(status, 200);
      assert.deepEqual(body.model, {
        id: models.alpha,
        name: "alpha",
        provider: "builtin",
        active: true,
      });
      assert.deepEqual([body.mode, body.window, body.population], ["live", "all", "clean"]);
      assert.equal(body.n, 10);
      assert.deepEqual(body.winRate, { value: 0.78, low: 0.45, high: 0.94 });
      assert.equal(body.calibration.length, 3);
      assert.deepEqual(body.calibration[1], {
        from: 0.6,
        to: 0.7,
        n: 8,
        meanConfidence: 0.6,
        winRate: 1,
      });
      assert.deepEqual(
        body.curve.map((point: { date: string; n: number }) => [point.date, point.n]),
        [["2024-03-03", 1], ["2024-03-04", 1], ["2024-03-05", 1]],
      );
      const [, dip] = body.curve;
      near(dip.cumulativeReturn, 1.01 * 0.98 - 1, "cumulative");
      near(dip.drawdown, -0.02, "drawdown");
      // Holding the stocks called, each +1%, on each of the two days.
      near(dip.buyAndHoldCumulativeReturn, 1.01 ** 2 - 1, "held");
      assert.deepEqual(
        body.stocks.map((s: { symbol: string; n: number; winRate: number }) => [
          s.symbol,
          s.n,
          s.winRate,
        ]),
        [["AAPL", 8, 1], ["AMZN", 8, 1], ["GOOGL", 8, 1], ["META", 8, 1], ["MSFT", 2, 1]],
      );

      const contaminated = await get(
        `/api/evaluations/models/${models.alpha}?population=contaminated`,
      );
      assert.equal(contaminated.status, 200);
      assert.equal(contaminated.body.n, 0);
      assert.deepEqual(contaminated.body.curve, [], "the daily curve is of clean predictions");
      assert.deepEqual(contaminated.body.stocks, []);

      const idle = await get(`/api/evaluations/models/${models.idle}`);
      const { model: _, mode, window, population, periodStart, periodEnd, computedAt, ...rest } =
        idle.body;
      assert.deepEqual(rest, { ...NO_DATA, calibration: [], curve: [], stocks: [] });
      assert.match(computedAt, /^\d{4}-/, "the job ran: it found nothing");
      assert.deepEqual([mode, window, population, periodStart, periodEnd], [
        "live",
        "all",
        "clean",
        null,
        null,
      ]);
      // A window the job has not computed counts nothing.
      const month = await get(`/api/evaluations/models/${models.alpha}?window=30`);
      assert.deepEqual([month.body.n, month.body.stocks], [0, []]);
    },
  );

  await t.step("compare: the paired test of two models on their shared calls", async () => {
    const { status, body } = await get(
      `/api/evaluations/compare?a=${models.beta}&b=${models.alpha}&mode=live`,
    );
    assert.equal(status, 200);
    assert.equal(body.a.model.name, "beta");
    assert.equal(body.b.model.name, "alpha");
    assert.equal(body.a.n, 10);
    assert.deepEqual(
      [body.comparison.shared, body.comparison.aOnly, body.comparison.bOnly],
      [32, 0, 8],
    );
    near(body.comparison.mcnemarP, 2 / 2 ** 8, "McNemar p");
    near(body.comparison.meanDifference, -8 * 0.02 / 32, "mean difference");
    assert.ok(body.comparison.differenceHigh < 0);
    assert.deepEqual(body.favoured, { mcnemar: "b", bootstrap: "b" });

    const none = await get(`/api/evaluations/compare?a=${models.alpha}&b=${models.fresh}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.comparison, {
      shared: 0,
      aOnly: 0,
      bOnly: 0,
      mcnemarP: null,
      meanDifference: null,
      differenceLow: null,
      differenceHigh: null,
    });
    assert.deepEqual(none.body.favoured, { mcnemar: null, bootstrap: null });
  });

  await t.step("an A/B experiment: each variant's summary and the pairwise test", async () => {
    const { status, body } = await get(`/api/evaluations/ab-tests/${experiment}`);
    assert.equal(status, 200);
    assert.deepEqual([body.mode, body.population], ["live", "clean"]);
    assert.deepEqual(
      { name: body.experiment.name, status: body.experiment.status },
      { name: "judges", status: "running" },
    );
    const [a, b] = body.variants;
    assert.deepEqual([a.name, a.model.name, a.weight, a.n, a.wins], ["A", "alpha", 1, 2, 2]);
    assert.deepEqual([b.name, b.model.name, b.n, b.wins, b.losses], ["B", "beta", 2, 1, 1]);
    assert.equal(b.winRate.value, 0.5);
    assert.ok(b.winRate.low < 0.5 && b.winRate.high > 0.5);
    near(a.meanStrategyReturn, 0.02, "variant A");
    assert.equal(body.comparisons.length, 1);
    const [pair] = body.comparisons;
    assert.deepEqual([pair.a, pair.b, pair.comparison.shared], ["A", "B", 0]);
    assert.deepEqual(pair.favoured, { mcnemar: null, bootstrap: null });

    const replay = await get(`/api/evaluations/ab-tests/${experiment}?mode=replay`);
    assert.equal(replay.status, 200);
    for (const variant of replay.body.variants) {
      const { name: _, model: __, weight: ___, calibration, ...metrics } = variant;
      assert.deepEqual({ ...metrics, calibration }, { ...NO_DATA, calibration: [] });
    }
  });

  await t.step("bad parameters are 400s naming the parameter", async () => {
    for (
      const [path, parameter] of [
        ["/api/evaluations?mode=paper", "mode"],
        ["/api/evaluations?window=7", "window"],
        ["/api/evaluations?population=all", "population"],
        ["/api/evaluations?rankBy=pValue", "rankBy"],
        ["/api/evaluations?rankBy=%3Cscript%3E", "rankBy"],
        ["/api/evaluations/models/abc", "id"],
        ["/api/evaluations/models/0", "id"],
        [`/api/evaluations/models/${models.alpha}?window=365`, "window"],
        ["/api/evaluations/compare?b=1", "a"],
        ["/api/evaluations/compare?a=1", "b"],
        ["/api/evaluations/compare?a=x&b=1", "a"],
        ["/api/evaluations/compare?a=1&b=-2", "b"],
        ["/api/evaluations/compare?a=1&b=1", "b"],
        ["/api/evaluations/compare?a=1&b=2&mode=paper", "mode"],
        ["/api/evaluations/ab-tests/1.5", "id"],
        [`/api/evaluations/ab-tests/${experiment}?population=dirty`, "population"],
      ]
    ) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.equal(body.error.details.parameter, parameter, path);
      assert.match(body.error.message, new RegExp(`^${parameter}`), path);
    }
  });

  await t.step("unknown models and experiments are 404s", async () => {
    for (
      const path of [
        "/api/evaluations/models/999999",
        `/api/evaluations/compare?a=${models.alpha}&b=999999`,
        "/api/evaluations/ab-tests/999999",
        "/api/evaluations/nothing-here",
      ]
    ) {
      const { status, body } = await get(path);
      assert.equal(status, 404, path);
      assert.equal(body.error.code, "not_found", path);
    }
  });
});

Deno.test("/api/evaluations: an empty database is a board of no data, not an error", async () => {
  const app = await startTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const response = await app.app.fetch(new Request("http://localhost/api/evaluations"));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.lead, null);
  assert.ok(body.models.every((row: Row) => row.n === 0 && row.rank === null));
});
