// `deno task lookahead [--sample N]`: re-runs the input assembly of a random sample of stored
// predictions with the data cut at their as-of and reports any whose inputs differ. Exit code 1
// when something differs, so it can gate a deploy.
import { parseArgs } from "node:util";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { checkLookahead } from "../lib/predict/lookahead.ts";
import { exitWithError } from "./exit.ts";

const usage = `usage: deno task lookahead [--sample N]

Re-assembles the inputs of N random stored predictions (default 50, at most 10000) as of their
as-of instant and compares them with the fingerprint stored when the model ran.`;

async function main(args: string[]): Promise<number> {
  let sample = 50;
  try {
    const { values } = parseArgs({
      args,
      options: { sample: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (values.sample !== undefined) {
      sample = Number(values.sample);
      if (!/^\d+$/.test(values.sample) || sample < 1 || sample > 10_000) {
        throw new Error(`--sample: expected an integer from 1 to 10000, got ${values.sample}`);
      }
    }
  } catch (error) {
    console.error(`craveny: ${error instanceof Error ? error.message : error}\n\n${usage}`);
    return 2;
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

if (import.meta.main) main(Deno.args).then(Deno.exit, exitWithError);
