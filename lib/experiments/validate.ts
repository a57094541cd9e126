// Validates what an admin sends for an A/B experiment: every problem listed, each naming its field.
import { BadRequest } from "../http/errors.ts";
import { type AbVariant, variantsProblems } from "../predict/ab_assign.ts";
import { ASSIGN_BY, type Experiment } from "./experiment.ts";
import type { ExperimentFields } from "./store.ts";

const FIELDS = new Set(["name", "description", "variants", "assignBy", "startsAt", "endsAt"]);

function instant(field: string, value: unknown, problems: string[]): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value; // the current value of a draft being edited
  const date = typeof value === "string" ? new Date(value) : new Date(NaN);
  if (
    Number.isNaN(date.getTime()) ||
    !/^\d{4}-\d{2}-\d{2}(T.*(Z|[+-]\d{2}:\d{2}))?$/.test(String(value))
  ) {
    problems.push(`${field}: expected an ISO date or date-time with a zone, or null`);
  }
  return date;
}

/**
 * The experiment fields `body` describes, over `current` when editing a draft; `modelExists`
 * tells whether a variant's model id is a model. Throws BadRequest listing every problem.
 */
export function parseExperimentFields(
  body: unknown,
  modelExists: (id: number) => boolean,
  current?: Experiment,
): ExperimentFields {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequest("Expected a JSON object describing the experiment");
  }
  const input = { ...current, ...body } as Record<string, unknown>;
  const problems = Object.keys(body).filter((key) => !FIELDS.has(key))
    .map((key) => `${key}: unknown field (known: ${[...FIELDS].join(", ")})`);
  const { name, description } = input;
  if (typeof name !== "string" || name.trim() === "" || name.length > 100) {
    problems.push("name: expected 1–100 characters");
  }
  if (description != null && (typeof description !== "string" || description.length > 1_000)) {
    problems.push("description: expected text up to 1000 characters, or null");
  }
  const assignBy = input.assignBy ?? "stock";
  if (!(ASSIGN_BY as readonly unknown[]).includes(assignBy)) {
    problems.push(`assignBy: expected one of ${ASSIGN_BY.join(", ")}`);
  }
  let variants: AbVariant[] = [];
  if (!Array.isArray(input.variants)) {
    problems.push("variants: expected an array of { name, modelId, weight }");
  } else {
    variants = input.variants.map((v) => ({
      name: typeof v?.name === "string" ? v.name.trim() : v?.name,
      modelId: v?.modelId,
      weight: v?.weight,
    }));
    problems.push(...variantsProblems(variants).map((p) => `variants: ${p}`));
    variants.forEach((variant, index) => {
      if (Number.isSafeInteger(variant.modelId) && !modelExists(variant.modelId)) {
        problems.push(`variants: variant ${index + 1}: no model ${variant.modelId}`);
      }
    });
  }
  const startsAt = instant("startsAt", input.startsAt, problems);
  const endsAt = instant("endsAt", input.endsAt, problems);
  if (startsAt && endsAt && !(endsAt > startsAt)) problems.push("endsAt: must be after startsAt");
  if (problems.length > 0) throw new BadRequest(`Invalid experiment: ${problems[0]}`, { problems });
  return {
    name: (name as string).trim(),
    description: (description as string | null | undefined) ?? null,
    variants,
    assignBy: assignBy as ExperimentFields["assignBy"],
    startsAt,
    endsAt,
  };
}
