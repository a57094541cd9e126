// `deno task lookahead [--sample N]`: re-runs the input assembly of a random sample of stored
// predictions with the data cut at their as-of and reports any whose inputs differ. Exit code 1
// when something differs, so it can gate a deploy.
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { checkLookahead } from "../lib/predict/lookahead.ts";
import { options, runTask, UsageError } from "./cli.ts";

const usage = `usage: deno task lookahead [--sample N]

Re-assembles the inputs of N random stored predictions (default 50, at most 10000) as of their
as-of instant and compares them with the fingerprint stored when the model ran.`;

async function main(args: string[]): Promise<number> {
  const { values, positionals } = options(args, { sample: { type: "string" } });
  if (positionals.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  let sample = 50;
  if (values.sample !== undefined) {
    sample = Number(values.sample);
    if (!/^\d+$/.test(values.sample) || sample < 1 || sample > 10_000) {
      throw new UsageError(`--sample: expected an integer from 1 to 10000, got ${values.sample}`);
    }
  }
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger(config.logLevel));
  try {
    const { checked, findings } = await checkLookahead(
      { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder },
      sample,
    );
    for (const f of findings) {
      console.log(
        `DIFFERS prediction ${f.predictionId} (${f.model}, ${f.symbol}, as of ${f.asOf.toISOString()}, ` +
          `${f.horizon}d): ${f.changed.join(", ")}`,
      );
    }
    console.log(`${checked} predictions checked, ${findings.length} with different inputs`);
    return findings.length > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

if (import.meta.main) runTask(usage, main);
