// `deno task import prices|news FILE…`: loads CSV files into the configured database, streaming
// them in batches of one transaction each, with progress, a rejected-rows report and a clean
// stop on Ctrl-C.
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openDatabase } from "../lib/db/open.ts";
import type { Database } from "../lib/db/port.ts";
import { CsvError } from "../lib/imports/csv.ts";
import { HeaderError } from "../lib/imports/header.ts";
import { importNews, type NewsImportResult } from "../lib/imports/news_import.ts";
import { importPrices, type PriceImportResult } from "../lib/imports/prices_import.ts";
import { formatCount, progressLine, rowsPerSecond } from "../lib/imports/progress.ts";
import { RejectionReport, reportPath } from "../lib/imports/report.ts";
import { createLogger } from "../lib/log.ts";
import { seedDefaultUniverse } from "../lib/stocks/universe.ts";
import { INTERRUPTED_EXIT, runTask, stopOnInterrupt, UsageError } from "./cli.ts";

const usage = `usage: deno task import prices FILE…
       deno task import news FILE…

Streams CSV files into DATABASE_URL, or the embedded database under DATA_DIR (default ./data),
in transactions of --batch rows. Importing a file again changes nothing.

prices  columns date, open, high, low, close, adj close (optional), volume (optional) and
        symbol or ticker (or one ticker's file named after it, e.g. AAPL.csv). A symbol that
        is not a stock yet becomes an inactive stock (exchange UNKNOWN) for an admin to review.
news    columns published_at, date, created_at, created_at_utc, datetime or timestamp;
        title, headline or text; optional: time or time_et, zone or tz (a time without a zone
        is New York time, or UTC when the column name ends in utc; a bare date is the end of
        that day), summary or description, url or link (rows without one get a synthetic
        https://import.craveny.invalid/… URL), symbol(s), ticker(s) or cashtags, source.
        Stories link to tagged symbols that are stocks and to active stocks named in the text.

options
  --source NAME   price_bar.source, or the publisher of news rows without a source column or
                  URL (default import:<file name>)
  --batch N       rows per transaction (default 1000)
  --report FILE   where to write every rejected row (default
                  <DATA_DIR>/import-reports/<file>-<time>.rejected.csv, only if rows are rejected)
  --tagged-only   news: link only the file's tagged symbols, no text matching
  -h, --help      this text

Exit status: 0 when the files loaded (rejected rows are reported, not fatal); 1 when a file
cannot be read or lacks a required column; 2 on a usage error; 130 when stopped with Ctrl-C
(batches committed before the stop stay, nothing is half-written).`;

type Kind = "prices" | "news";

interface Args {
  kind: Kind;
  files: string[];
  source?: string;
  batch: number;
  report?: string;
  taggedOnly: boolean;
}

function parseArgs(args: string[]): Args {
  const [kind, ...rest] = args;
  if (kind !== "prices" && kind !== "news") {
    throw new UsageError(kind ? `unknown import ${JSON.stringify(kind)}` : "nothing to import");
  }
  const parsed: Args = { kind, files: [], batch: 1_000, taggedOnly: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--source") parsed.source = value();
    else if (arg === "--report") parsed.report = value();
    else if (arg === "--tagged-only") parsed.taggedOnly = true;
    else if (arg === "--batch") {
      const text = value();
      parsed.batch = Number(text);
      if (!/^\d+$/.test(text) || parsed.batch < 1 || parsed.batch > 100_000) {
        throw new UsageError(`--batch: expected an integer from 1 to 100000, got ${text}`);
      }
    } else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else parsed.files.push(arg);
  }
  if (!parsed.files.length) throw new UsageError(`no ${kind} FILE given`);
  if (parsed.report && parsed.files.length > 1) {
    throw new UsageError("--report takes one FILE: import the files one by one");
  }
  return parsed;
}

/** Progress on a terminal: one line redrawn; otherwise a plain line every 5 seconds. */
function progressPrinter(fileName: string, totalBytes: number | null, started: number) {
  const terminal = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  let lastPrint = started;
  return {
    update(rows: number, bytes: number) {
      const now = performance.now();
      const elapsedMs = now - started;
      if (terminal) {
        if (now - lastPrint < 100) return;
        const line = progressLine({ rows, bytes, totalBytes, elapsedMs });
        Deno.stdout.writeSync(encoder.encode(`\r\x1b[K${fileName}  ${line}`));
      } else {
        if (now - lastPrint < 5_000) return;
        console.log(`${fileName}: ${progressLine({ rows, bytes, totalBytes: null, elapsedMs })}`);
      }
      lastPrint = now;
    },
    done() {
      if (terminal) Deno.stdout.writeSync(encoder.encode("\r\x1b[K"));
    },
  };
}

function summary(kind: Kind, result: PriceImportResult | NewsImportResult): string {
  const parts = "unchanged" in result
    ? [
      `${formatCount(result.inserted)} inserted`,
      `${formatCount(result.updated)} updated`,
      `${formatCount(result.unchanged)} unchanged`,
    ]
    : [
      `${formatCount(result.inserted)} inserted`,
      `${formatCount(result.duplicates)} duplicates`,
      `${formatCount(result.linked)} stock links added`,
    ];
  parts.push(`${formatCount(result.rejected)} rejected`);
  const lines = [`${kind}: ${parts.join(", ")}`];
  if ("createdStocks" in result && result.createdStocks.length) {
    lines.push(
      `new symbols added as inactive stocks (activate them in the admin): ${
        result.createdStocks.join(", ")
      }`,
    );
  }
  if ("unknownSymbols" in result && result.unknownSymbols.size) {
    const top = [...result.unknownSymbols].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([symbol, count]) => `${symbol} ×${formatCount(count)}`);
    lines.push(
      `${formatCount(result.unknownSymbols.size)} tagged symbols are not stocks and were not ` +
        `linked (most frequent: ${top.join(", ")}); add them as stocks (or import their ` +
        `prices) and import this file again to link them`,
    );
  }
  return lines.join("\n");
}

/** Imports one file; returns false when it was stopped by Ctrl-C. */
async function importFile(
  db: Database,
  args: Args,
  path: string,
  dataDir: string,
  signal: AbortSignal,
): Promise<boolean> {
  const fileName = path.split(/[\\/]/).pop()!;
  const file = await Deno.open(path);
  const totalBytes = (await file.stat()).size || null;
  const report = new RejectionReport(
    args.report ?? reportPath(`${dataDir}/import-reports`, fileName, new Date()),
  );
  const started = performance.now();
  const progress = progressPrinter(fileName, totalBytes, started);
  console.log(`importing ${args.kind} from ${path}`);
  const options = {
    fileName,
    source: args.source,
    batchSize: args.batch,
    signal,
    onReject: (rejection: { at: number; reason: string }) => report.add(rejection),
    onProgress: (rows: number, bytes: number) => progress.update(rows, bytes),
  };
  let result: PriceImportResult | NewsImportResult;
  try {
    result = args.kind === "prices"
      ? await importPrices(db.sql, file.readable, options)
      : await importNews(db.sql, file.readable, { ...options, textMatching: !args.taggedOnly });
  } finally {
    progress.done();
    await report.close();
  }
  const elapsedMs = performance.now() - started;
  console.log(
    `${fileName}: ${formatCount(result.rows)} rows in ${(elapsedMs / 1000).toFixed(1)} s ` +
      `(${formatCount(rowsPerSecond(result.rows, elapsedMs))} rows/s)`,
  );
  console.log(summary(args.kind, result));
  if (report.count) {
    for (const { at, reason } of report.shown) console.log(`  line ${at}: ${reason}`);
    if (report.count > report.shown.length) {
      console.log(`  … and ${formatCount(report.count - report.shown.length)} more`);
    }
    console.log(
      `loaded with ${formatCount(report.count)} rejected rows, all listed in ${report.path}`,
    );
  }
  if (result.stopped) {
    console.log("interrupted: the batches committed before Ctrl-C stay, nothing is half-written");
    return false;
  }
  return true;
}

/** A file that cannot be read: one line naming it. */
async function checkReadable(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return `${path} is not a file`;
    (await Deno.open(path)).close();
    return null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return `${path}: no such file`;
    if (error instanceof Deno.errors.PermissionDenied) return `${path}: permission denied`;
    return `${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  for (const path of args.files) {
    const problem = await checkReadable(path);
    if (problem) {
      console.error(`craveny: cannot read ${problem}`);
      return 1;
    }
  }
  const config = loadConfig(await readEnvironment());
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn");
  using interrupt = stopOnInterrupt();
  const db = await openDatabase(config, log);
  try {
    await migrate(db, log);
    // A first import into a fresh database must not leave it without the default universe.
    await seedDefaultUniverse(db.sql);
    for (const path of args.files) {
      try {
        if (!await importFile(db, args, path, config.dataDir, interrupt.signal)) {
          return INTERRUPTED_EXIT;
        }
      } catch (error) {
        if (error instanceof HeaderError) {
          console.error(`craveny: ${path}: ${error.message}`);
          return 1;
        }
        if (error instanceof CsvError) {
          console.error(`craveny: ${path}: ${error.message}; the batches before it stay stored`);
          return 1;
        }
        throw error;
      }
    }
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.main) runTask(usage, main);
