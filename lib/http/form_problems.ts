// Validation problems as the domain validators phrase them ("name: expected …", "params.maxTokens:
// expected …"), grouped per form field so each is listed next to the field it is about.
import { isUniqueViolation } from "../db/errors.ts";
import { BadRequest } from "./errors.ts";

/** Problems per field name; "" holds those about the form as a whole. */
export type FieldProblems = Readonly<Record<string, readonly string[]>>;

export const NO_PROBLEMS: FieldProblems = {};

/** What a form showed: the values as submitted (or stored) and their problems. */
export interface FormState {
  values: Readonly<Record<string, string>>;
  problems: FieldProblems;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

const FIELD_PREFIX = /^([A-Za-z]\w*)(?:\.|: )(.*)$/s;

/** "params.maxTokens: expected …" → { params: ["maxTokens: expected …"] }. */
export function problemsByField(problems: readonly string[]): FieldProblems {
  const grouped: Record<string, string[]> = {};
  for (const problem of problems) {
    const match = FIELD_PREFIX.exec(problem);
    const [field, message] = match ? [match[1], match[2]] : ["", problem];
    (grouped[field] ??= []).push(message);
  }
  return grouped;
}

/**
 * Runs a domain validator that throws BadRequest with `details.problems` (lib/models/validate.ts,
 * lib/experiments/validate.ts): its value, or its problems per field together with the problems
 * the form reader found `earlier` (text that did not even parse). Other errors propagate.
 */
export function validate<T>(parse: () => T, earlier: readonly string[] = []): Validated<T> {
  try {
    const value = parse();
    return earlier.length > 0 ? rejected(earlier) : { ok: true, value };
  } catch (error) {
    const problems = error instanceof BadRequest ? problemList(error.details) : null;
    if (!problems) throw error;
    return rejected([...earlier, ...problems]);
  }
}

function problemList(details: unknown): string[] | null {
  if (typeof details !== "object" || details === null || !("problems" in details)) return null;
  const { problems } = details;
  return Array.isArray(problems) && problems.every((p) => typeof p === "string") ? problems : null;
}

function rejected(problems: readonly string[]): Validated<never> {
  return { ok: false, problems: problemsByField(problems) };
}

/**
 * Saves; a unique violation of `constraint` (a taken name) becomes `problem`, phrased like the
 * validators' ("name: …"), instead of an error.
 */
export async function saveUnique<T>(
  save: () => Promise<T>,
  constraint: string,
  problem: string,
): Promise<Validated<T>> {
  try {
    return { ok: true, value: await save() };
  } catch (error) {
    if (!isUniqueViolation(error, constraint)) throw error;
    return rejected([problem]);
  }
}
