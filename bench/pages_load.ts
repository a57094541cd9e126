// Page load under concurrency (DESIGN §9): requests/s and p95 latency of `/`, `/stocks/AAPL` and
// `/api/predictions` from the real app (`main.ts` in its own process, jobs off) with 50 stocks, the
// five built-in models and a year of replayed predictions (plus one live run), each next to a bare
// `Deno.serve` hello handler measured in the same run — read the ratios, not the absolute numbers.
// Also the gzipped JavaScript each page ships: what its HTML loads up front, and what its islands
// import later (chart.js, after the chart has hydrated).
// The load generator is this process: CONNECTIONS loops of fetch, so its own cost weighs on every
// figure alike (on a 2-core machine it shares the cores with the server).
// A script rather than a `deno bench` file: seeding takes minutes, and Deno would run it 3 times.
//   deno run -A bench/pages_load.ts [--seconds 10]
// The database is DATABASE_URL's server when set (a fresh database, dropped afterwards), else
// embedded PGlite in a temporary directory; REDIS_URL is used when set, like the app would.
import { parseArgs } from "node:util";
import { createCrawlJob } from "../jobs/crawl.ts";
import { createEmbedJob } from "../jobs/embed.ts";
import { createEvaluateJob } from "../jobs/evaluate.ts";
import { createPredictJob } from "../jobs/predict.ts";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig } from "../lib/config.ts";
import { gzipSize } from "../lib/fresh/bundle.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { replayRecentHistory } from "../lib/predict/seed_replay.ts";
import { upsertStocks } from "../lib/stocks/store.ts";
import { openTestDatabase } from "../tests/support/database.ts";

const CONNECTIONS = 32;
const STOCKS = 50;
/** A year of trading days. */
const REPLAY_DAYS = 252;
const PATHS = ["/", "/stocks/AAPL", "/api/predictions"];
const root = new URL("..", import.meta.url).pathname;
const { values: flags } = parseArgs({ args: Deno.args, options: { seconds: { type: "string" } } });
const SECONDS = Number(flags.seconds ?? 10);
const quiet = createLogger("error", () => {});

function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * Fills the database the app will open: universe, prices and news, a year of replay, evaluation,
 * one live run. Returns the id of a built-in model, whose page is measured too.
 */
async function seed(env: Record<string, string>): Promise<number> {
  const config = loadConfig({ ...env, SEED_REPLAY_DAYS: String(REPLAY_DAYS) });
  const app = await openAppContext(config, quiet);
  try {
    const { sql } = app.db;
    const [{ count }] = await sql<{ count: number }[]>`select count(*) as count from stock`;
    await upsertStocks(
      sql,
      Array.from({ length: STOCKS - count }, (_, index) => {
        const n = String(index + 1).padStart(2, "0");
        return { symbol: `BNCH${n}`, exchange: "NYSE", name: `Bench Holdings ${n}` };
      }),
    );
    const signal = new AbortController().signal;
    const check = async (name: string, run: Promise<{ status: string }>) => {
      const outcome = await run;
      if (outcome.status !== "succeeded") throw new Error(`${name}: ${JSON.stringify(outcome)}`);
    };
    console.log(`seeding ${STOCKS} stocks (${app.db.kind} database):`);
    await timed(
      "crawl (simulator prices and news)",
      () => check("crawl", runJob(createCrawlJob(), app)),
    );
    await timed("embed news", () => check("embed", runJob(createEmbedJob(), app)));
    // Replay up to the day before the latest equity close: the live run then has a day to itself.
    const [{ latest }] = await sql<{ latest: string }[]>`
      select max(b.date)::text as latest from price_bar b
      join stock s on s.id = b.stock_id where s.asset_class = 'equity'`;
    const replayUntil = new Date(Date.parse(`${latest}T00:00:00Z`) - 86_400_000);
    const counts = await timed(
      `replay the built-in models over ${REPLAY_DAYS} trading days`,
      () => replayRecentHistory(app, quiet, signal, replayUntil),
    );
    console.log(`    ${JSON.stringify(counts)}`);
    await timed("evaluate", () => check("evaluate", runJob(createEvaluateJob(), app)));
    await timed("predict (live)", () => check("predict", runJob(createPredictJob(), app)));
    const [{ predictions }] = await sql<{ predictions: number }[]>`
      select count(*) as predictions from prediction`;
    console.log(`  ${predictions.toLocaleString("en-US")} predictions stored`);
    const [{ id }] = await sql<{ id: number }[]>`select id from model where name = 'momentum'`;
    return id;
  } finally {
    await app.close();
  }
}

/** A child process whose output is drained (a full pipe would stall it) and shown on failure. */
class Server {
  readonly #child: Deno.ChildProcess;
  #output = "";
  readonly #drained: Promise<unknown>;

  constructor(readonly url: string, args: string[], env: Record<string, string>) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) this.#output += decoder.decode(chunk, { stream: true });
    };
    this.#drained = Promise.all([drain(this.#child.stdout), drain(this.#child.stderr)]);
  }

  async ready(path: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(this.url + path).then(async (response) => {
        await response.body?.cancel();
        return response.ok;
      }, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.url} never answered ${path}:\n${this.#output}`);
  }

  async stop(): Promise<void> {
    this.#child.kill("SIGTERM");
    await this.#child.status;
    await this.#drained;
  }
}

interface Load {
  rps: number;
  p95Ms: number;
  errors: number;
}

/**
 * CONNECTIONS loops requesting `url` for `seconds`, after a one-second warm-up. Each loop keeps the
 * cookies it is given, as a browser does (the app sets a visitor cookie on a first visit).
 */
async function load(url: string, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  const started = performance.now();
  const warmUpEnd = started + 1_000;
  const end = warmUpEnd + seconds * 1_000;
  const loop = async () => {
    const headers = new Headers();
    while (performance.now() < end) {
      const sent = performance.now();
      try {
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
        if (cookies.length > 0) headers.set("cookie", cookies.join("; "));
        if (!response.ok) errors++;
      } catch {
        errors++;
      }
      const done = performance.now();
      if (!measuring && sent >= warmUpEnd) measuring = true;
      if (measuring) latencies.push(done - sent);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? NaN,
    errors,
  };
}

const MODULE_IMPORT = /(?:from|import)\s*"(\.\/[\w.-]+\.js)"/g;
const DYNAMIC_IMPORT = /import\(\s*"(\.\/[\w.-]+\.js)"\s*\)/g;

/** Gzipped JS a page loads up front (its HTML's scripts and their static imports) and later. */
async function pageScripts(
  origin: string,
  path: string,
): Promise<{ upFront: number; lazy: number }> {
  const html = await (await fetch(origin + path)).text();
  const base = `${origin}/static/_islands/`;
  const seen = new Map<string, "upFront" | "lazy">();
  const visit = async (file: string, kind: "upFront" | "lazy"): Promise<void> => {
    if (seen.get(file) === "upFront" || seen.get(file) === kind) return;
    seen.set(file, kind);
    const code = await (await fetch(base + file)).text();
    for (const [, imported] of code.matchAll(DYNAMIC_IMPORT)) {
      await visit(imported.slice(2), "lazy");
    }
    for (const [, imported] of code.matchAll(MODULE_IMPORT)) await visit(imported.slice(2), kind);
  };
  // Preload links, the runtime's script tag and the island modules named in the JSON payload.
  for (const [, file] of html.matchAll(/\/static\/_islands\/([\w.-]+\.js)/g)) {
    await visit(file, "upFront");
  }
  const sizes = { upFront: 0, lazy: 0 };
  for (const [file, kind] of seen) {
    const bytes = new Uint8Array(await (await fetch(base + file)).arrayBuffer());
    sizes[kind] += await gzipSize(bytes);
  }
  return sizes;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// --- run ---------------------------------------------------------------------------------------
const databaseUrl = Deno.env.get("DATABASE_URL")?.trim() ?? "";
const dataDir = await Deno.makeTempDir({ prefix: "craveny-pages-bench-" });
// A fresh database on the server, kept open (and dropped at the end) by this handle.
const serverDb = databaseUrl ? await openTestDatabase() : null;
const appDatabaseUrl = serverDb
  ? Object.assign(new URL(databaseUrl), { pathname: `/${serverDb.location}` }).href
  : "";
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  DATABASE_URL: appDatabaseUrl,
  REDIS_URL: Deno.env.get("REDIS_URL") ?? "",
  MILVUS_ADDRESS: "",
  OPENAI_API_KEY: "",
  OPENROUTER_API_KEY: "",
  SOURCES: "simulator",
  JOBS_ENABLED: "false",
  LOG_LEVEL: "warn",
};
try {
  const modelId = await seed(env);
  const appPort = freePort();
  const helloPort = freePort();
  const app = new Server(`http://127.0.0.1:${appPort}`, ["run", "-A", "main.ts"], {
    ...env,
    PORT: String(appPort),
    HOST: "127.0.0.1",
  });
  const hello = new Server(`http://127.0.0.1:${helloPort}`, [
    "eval",
    `Deno.serve({ port: ${helloPort}, hostname: "127.0.0.1", onListen() {} }, () => new Response("hello"));`,
  ], {});
  try {
    await Promise.all([app.ready("/health"), hello.ready("/")]);
    console.log(
      `\nload: ${CONNECTIONS} connections, ${SECONDS} s per path after 1 s of warm-up, ` +
        `${navigator.hardwareConcurrency} cores`,
    );
    console.log("path                 req/s     p95 ms   hello req/s  ratio   errors");
    for (const path of PATHS) {
      // Hello right before each path, so both see the same machine state.
      const base = await load(`${hello.url}/`, SECONDS);
      const page = await load(app.url + path, SECONDS);
      console.log(
        `${path.padEnd(18)} ${page.rps.toFixed(0).padStart(7)} ${
          page.p95Ms.toFixed(1).padStart(9)
        }` +
          ` ${base.rps.toFixed(0).padStart(12)} ${(page.rps / base.rps).toFixed(2).padStart(6)}` +
          ` ${String(page.errors + base.errors).padStart(8)}`,
      );
    }
    console.log("\ngzipped JavaScript per page (up front + loaded after hydration):");
    for (
      const path of [
        "/",
        "/stocks/AAPL",
        "/predictions",
        "/models",
        `/models/${modelId}?mode=replay`,
        "/news",
      ]
    ) {
      const { upFront, lazy } = await pageScripts(app.url, path);
      console.log(`  ${path.padEnd(14)} ${kb(upFront).padStart(9)} + ${kb(lazy)}`);
    }
  } finally {
    await Promise.all([app.stop(), hello.stop()]);
  }
} finally {
  await serverDb?.dispose();
  await Deno.remove(dataDir, { recursive: true });
}
