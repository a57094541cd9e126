// Island props → one JSON payload for the browser. Only JSON values and signals cross the wire;
// anything else throws while the page renders, naming the island and the prop path, so a bad prop
// fails loudly on the server instead of hydrating with silently different data.
import { isValidElement } from "preact";
import { Signal } from "@preact/signals";

export type PropPath = (string | number)[];

/** The props part of what the client runtime (client/runtime.ts) reads back. */
export interface IslandPayload {
  /** One props object per rendered island, indexed by the marker's data-index. */
  props: Record<string, unknown>[];
  /** Each signal once: its value and every [islandIndex, ...propPath] it appears at. */
  signals: { value: unknown; at: PropPath[] }[];
}

export class IslandPropError extends Error {
  constructor(island: string, path: PropPath, problem: string) {
    super(`Island "${island}": prop "${formatPath(path)}" ${problem}`);
    this.name = "IslandPropError";
  }
}

export function formatPath(path: PropPath): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) text += text === "" ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

function isSignal(value: object): value is Signal {
  // The brand check also accepts a signal from a second copy of the library.
  return value instanceof Signal ||
    (value as { brand?: unknown }).brand === Symbol.for("preact-signals");
}

const HINTS: Record<string, string> = {
  Date: "pass date.toISOString() or a timestamp",
  Map: "pass Object.fromEntries(map) or an array of entries",
  Set: "pass an array",
  RegExp: "pass its source string",
  URL: "pass url.href",
};

function describeObject(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  const hint = name ? HINTS[name] : undefined;
  const what = name ? `a ${name} instance` : "an object with a custom prototype";
  return `is ${what}, which can't be serialized${hint ? `; ${hint}` : "; pass plain data"}`;
}

export class IslandPropsWriter {
  readonly #props: Record<string, unknown>[] = [];
  readonly #signals = new Map<Signal, { value: unknown; at: PropPath[] }>();

  get hasSignals(): boolean {
    return this.#signals.size > 0;
  }

  /** Validates and records one island's props; returns its index. Throws IslandPropError. */
  add(island: string, props: Record<string, unknown>): number {
    const index = this.#props.length;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined) continue;
      if (key === "__proto__") throw new IslandPropError(island, [key], "is not an allowed name");
      if (key === "children" && containsElement(value)) {
        throw new IslandPropError(
          island,
          [key],
          "holds JSX: island children are not supported; pass data props instead",
        );
      }
      copy[key] = this.#copy(island, value, [key], index, new Set(), false);
    }
    this.#props.push(copy);
    return index;
  }

  payload(): IslandPayload {
    return { props: this.#props, signals: [...this.#signals.values()] };
  }

  #copy(
    island: string,
    value: unknown,
    path: PropPath,
    index: number,
    ancestors: Set<object>,
    inSignal: boolean,
  ): unknown {
    const fail = (problem: string): never => {
      throw new IslandPropError(island, path, problem);
    };
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        return Number.isFinite(value) ? value : fail(`is ${value}, which JSON can't represent`);
      case "undefined":
        return fail("is undefined inside an array, which JSON turns into null");
      case "bigint":
        return fail("is a BigInt, which JSON can't represent; pass a string or number");
      case "function":
        return fail(
          "is a function: functions can't be sent to the browser; define the behaviour inside the island",
        );
      case "symbol":
        return fail("is a symbol, which can't be serialized");
    }
    if (value === null) return null;
    const object = value as object;
    if (ancestors.has(object)) return fail("is a circular reference");
    if (isSignal(object)) {
      if (inSignal) return fail("is a signal inside a signal's value, which is not supported");
      let entry = this.#signals.get(object);
      if (!entry) {
        ancestors.add(object);
        entry = { value: this.#copy(island, object.peek(), path, index, ancestors, true), at: [] };
        ancestors.delete(object);
        this.#signals.set(object, entry);
      }
      entry.at.push([index, ...path]);
      return null;
    }
    // After the signal check: @preact/signals makes signals look like elements too.
    if (isValidElement(object)) {
      return fail("is a JSX element: islands can't receive JSX; pass data props instead");
    }
    ancestors.add(object);
    try {
      if (Array.isArray(object)) {
        const out: unknown[] = [];
        for (let i = 0; i < object.length; i++) {
          if (!(i in object)) fail(`has a hole at [${i}], which JSON turns into null`);
          out.push(this.#copy(island, object[i], [...path, i], index, ancestors, inSignal));
        }
        return out;
      }
      const proto = Object.getPrototypeOf(object);
      if (proto !== Object.prototype && proto !== null) return fail(describeObject(object));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(object)) {
        if (key === "__proto__") fail("has a __proto__ key, which is not allowed");
        if (item === undefined) continue;
        out[key] = this.#copy(island, item, [...path, key], index, ancestors, inSignal);
      }
      return out;
    } finally {
      ancestors.delete(object);
    }
  }
}

function containsElement(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsElement);
  return typeof value === "object" && value !== null && !isSignal(value) && isValidElement(value);
}

const SCRIPT_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** Escapes JSON so no string inside it can close the <script> element or break older parsers. */
export function escapeScriptJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => SCRIPT_ESCAPES[char]);
}
