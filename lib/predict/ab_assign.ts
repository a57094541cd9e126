// Deterministic A/B assignment: which variant of an experiment a key (a stock symbol, a user id)
// belongs to. Pure and stateless, so every process and every re-run of a job agrees without
// storing assignments.
//
// What holds:
// - The same experiment id, key and variants give the same variant, on any machine, forever.
// - Keys are spread independently per experiment (the experiment id is part of the hashed text).
// - Changing weights moves only the keys whose point crosses a moved boundary; with two variants,
//   raising B's weight only moves keys from A to B.
// - Appending a variant renormalises the weights: keys never move to an earlier variant, but keys
//   of every variant may move to a later one (A keeps about oldTotal / newTotal of its keys). So
//   appending a variant to a running experiment reshuffles it: start a new experiment instead.
import { createHash } from "node:crypto";

export interface AbVariant {
  name: string;
  modelId: number;
  /** Relative share of the keys; normalised over all variants. */
  weight: number;
}

export type AbAssignment = Pick<AbVariant, "name" | "modelId">;

/** What is wrong with an experiment's variants; empty when they can be assigned. */
export function variantsProblems(variants: readonly AbVariant[]): string[] {
  const problems: string[] = [];
  if (variants.length < 2) problems.push(`at least 2 variants are needed, got ${variants.length}`);
  const seen = new Set<string>();
  variants.forEach((variant, index) => {
    const label = `variant ${index + 1}`;
    if (typeof variant.name !== "string" || variant.name.trim() === "") {
      problems.push(`${label}: name must not be empty`);
    } else if (seen.has(variant.name)) {
      problems.push(`${label}: duplicate name ${JSON.stringify(variant.name)}`);
    } else {
      seen.add(variant.name);
    }
    if (!Number.isSafeInteger(variant.modelId) || variant.modelId < 1) {
      problems.push(`${label}: modelId must be a positive integer, got ${variant.modelId}`);
    }
    if (!Number.isFinite(variant.weight) || variant.weight <= 0) {
      problems.push(`${label}: weight must be a positive finite number, got ${variant.weight}`);
    }
  });
  return problems;
}

/**
 * A point in [0, 1) from the first 53 bits of SHA-256(text): uniform, and unlike FNV-style
 * hashes every input bit reaches the high bits, so keys differing in their last character spread.
 */
function unitHash(text: string): number {
  const digest = createHash("sha256").update(text).digest();
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 11; // 32 + 21 = 53 bits, exact in a double
  return (high * 2 ** 21 + low) / 2 ** 53;
}

/**
 * The variant `key` belongs to in experiment `experimentId`: the key's point on [0, 1) laid over
 * the variants' cumulative normalised weights, in the order given. Throws a RangeError when
 * `variantsProblems` finds anything.
 */
export function assignVariant(
  experimentId: number,
  key: string,
  variants: readonly AbVariant[],
): AbAssignment {
  const problems = variantsProblems(variants);
  if (problems.length > 0) throw new RangeError(`A/B variants: ${problems.join("; ")}`);
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  const point = unitHash(`${experimentId}:${key}`) * total;
  let cumulative = 0;
  // Rounding can leave the sum a hair below `point` at the very end: the last variant takes it.
  const chosen = variants.find((variant) => point < (cumulative += variant.weight)) ??
    variants[variants.length - 1];
  return { name: chosen.name, modelId: chosen.modelId };
}
