// The look-ahead check (as in a backtester's look-ahead analysis): re-assemble the inputs of
// stored predictions with the data cut at their as-of, and report those whose inputs differ from
// what the model was given. A difference means data dated after as-of reached a model, or data
// arrived late (a backfill, news embedded after the prediction ran): either way it is reported
// with the parts that changed (bars, news, similar).
import { samplePredictions } from "../predictions/store.ts";
import { getStockById } from "../stocks/store.ts";
import { assembleInputs, fingerprintInputs, type InputPorts } from "./inputs.ts";

export interface LookaheadFinding {
  predictionId: number;
  model: string;
  symbol: string;
  asOf: Date;
  horizon: number;
  /** Input parts whose fingerprint changed; "all" when the prediction predates part hashes. */
  changed: string[];
}

export interface LookaheadReport {
  checked: number;
  findings: LookaheadFinding[];
}

const PARTS = ["bars", "news", "similar"] as const;

export async function checkLookahead(
  ports: InputPorts,
  sampleSize: number,
): Promise<LookaheadReport> {
  const sample = await samplePredictions(ports.sql, sampleSize);
  const findings: LookaheadFinding[] = [];
  for (const stored of sample) {
    const stock = await getStockById(ports.sql, stored.stockId);
    if (!stock) continue; // stocks are never deleted while predictions point at them
    const inputs = await assembleInputs(ports, {
      stock,
      asOf: stored.asOf,
      horizon: stored.horizon,
      mode: stored.mode,
      similarK: stored.runRecord.retrieval?.k ?? 0,
    });
    const now = await fingerprintInputs(inputs);
    if (now.all === stored.inputsHash) continue;
    const before = stored.runRecord.inputs ?? {};
    const changed = PARTS.filter((part) =>
      before[part] !== undefined && before[part] !== now[part]
    );
    findings.push({
      predictionId: stored.id,
      model: stored.modelName,
      symbol: stock.symbol,
      asOf: stored.asOf,
      horizon: stored.horizon,
      changed: changed.length > 0 ? changed : ["all"],
    });
  }
  return { checked: sample.length, findings };
}
