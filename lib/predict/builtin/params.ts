// Built-in model parameters: numbers with a default and a range. Checked when an admin saves a
// model (each problem a sentence naming the parameter) and again before every prediction; a
// parameter left out takes its default.

export interface ParamSpec {
  default: number;
  min: number;
  max: number;
  /** Whole numbers only (a count of bars, of neighbours). */
  integer?: boolean;
}

export type ParamSpecs<K extends string> = Readonly<Record<K, ParamSpec>>;
export type ParamValues<K extends string> = Readonly<Record<K, number>>;

/** What is wrong with `params` for the model `model` taking `specs`; empty when nothing is. */
export function paramProblems(
  model: string,
  specs: ParamSpecs<string>,
  params: unknown,
): string[] {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return [`The parameters of ${model} must be an object of numbers, got ${describe(params)}.`];
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs).join(", ");
      problems.push(`${model} has no parameter "${name}" (it takes ${known}).`);
      continue;
    }
    const spec = specs[name];
    const valid = typeof value === "number" && Number.isFinite(value) &&
      (!spec.integer || Number.isInteger(value)) && value >= spec.min && value <= spec.max;
    if (!valid) {
      const kind = spec.integer ? "a whole number" : "a number";
      problems.push(
        `${name} must be ${kind} from ${spec.min} to ${spec.max}, got ${describe(value)}.`,
      );
    }
  }
  return problems;
}

/** `params` (already checked) with every parameter `specs` lists, defaults filling the gaps. */
export function resolveParams<K extends string>(
  specs: ParamSpecs<K>,
  params: Record<string, unknown>,
): ParamValues<K> {
  const values: Record<string, number> = {};
  for (const [name, spec] of Object.entries<ParamSpec>(specs)) {
    const given = params[name];
    values[name] = typeof given === "number" ? given : spec.default;
  }
  // Every key of `specs` (type K) was just filled in, which the compiler cannot follow.
  return values as ParamValues<K>;
}

export function defaultParams(specs: ParamSpecs<string>): Readonly<Record<string, number>> {
  return Object.freeze(
    Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default])),
  );
}

function describe(value: unknown): string {
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "an object";
  return String(value);
}
