// Offline embedder throughput on 1,000 headline-length texts, against plain tokenisation of the same
// texts in the same run (the baseline). Texts/s = 1,000 × iter/s. The texts are the first 1,000 of
// the shared sentiment set (financial news tweets) when present, else generated headlines.
//   deno bench -A bench/embed_bench.ts
import { parseCsv } from "../lib/imports/csv.ts";
import { OfflineEmbedder, tokenize } from "../lib/embed/offline.ts";

const COUNT = 1_000;
const DATASET = new URL(
  "../../shared/data/twitter_financial_news_sentiment/sent_valid.csv",
  import.meta.url,
);

async function datasetTexts(): Promise<string[] | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(DATASET);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const texts: string[] = [];
  for await (const record of parseCsv(file.readable)) {
    if (record.line > 1) texts.push(record.fields[0]);
    if (texts.length === COUNT) break;
  }
  await file.readable.cancel().catch(() => {});
  return texts.length === COUNT ? texts : null;
}

/** Deterministic stand-ins of the same shape: company, move, reason. */
function generatedTexts(): string[] {
  const companies = ["Apple", "Tesla", "$NVDA", "JPMorgan", "Exxon Mobil", "Pfizer", "$AMZN"];
  const moves = ["shares jump", "stock slides", "tops estimates", "cut to Sell", "raises outlook"];
  const reasons = [
    "after quarterly results beat expectations",
    "as regulators open an antitrust probe",
    "on strong data center demand and record deliveries",
    "amid supply chain worries in China",
  ];
  return Array.from(
    { length: COUNT },
    (_, i) => `${companies[i % 7]} ${moves[(i * 3) % 5]} ${reasons[(i * 5) % 4]} (${i})`,
  );
}

const fromDataset = await datasetTexts();
const texts = fromDataset ?? generatedTexts();
const averageChars = texts.reduce((sum, text) => sum + text.length, 0) / texts.length;
console.log(
  `embed_bench: ${texts.length} texts of ${averageChars.toFixed(0)} characters on average, ` +
    (fromDataset ? `from ${DATASET.pathname}` : "generated (dataset missing)"),
);

const embedder = new OfflineEmbedder();

Deno.bench({
  name: "tokenise 1,000 headlines (baseline)",
  group: "embed-1000",
  baseline: true,
  fn() {
    let tokens = 0;
    for (const text of texts) tokens += tokenize(text).length;
    if (tokens === 0) throw new Error("no tokens");
  },
});

Deno.bench({
  name: "offline embed 1,000 headlines (384 dimensions)",
  group: "embed-1000",
  async fn() {
    const { vectors } = await embedder.embed(texts);
    if (vectors.length !== texts.length) throw new Error("lost vectors");
  },
});
