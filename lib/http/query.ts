// Typed, validated query parameters: a bad value is the client's mistake (400 naming the
// parameter and what was expected), never a silently ignored filter.
import { normalizeSymbol } from "../stocks/symbol.ts";
import { HttpError } from "./errors.ts";

function invalid(parameter: string, expected: string, got: string): HttpError {
  return new HttpError(400, "invalid_query", `${parameter}: expected ${expected}`, {
    parameter,
    expected,
    got: got.length > 100 ? `${got.slice(0, 100)}…` : got,
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date-time with seconds optional, fractions optional and a zone required (Z or ±hh:mm). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class QueryParams {
  constructor(private readonly params: URLSearchParams) {}

  static of(url: string | URL): QueryParams {
    return new QueryParams(new URL(url).searchParams);
  }

  #raw(name: string): string | undefined {
    const value = this.params.get(name)?.trim();
    return value ? value : undefined;
  }

  /** A calendar date YYYY-MM-DD. */
  date(name: string): string | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    const parsed = new Date(`${raw}T00:00:00Z`);
    if (
      !DATE.test(raw) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== raw
    ) {
      throw invalid(name, "a date YYYY-MM-DD", raw);
    }
    return raw;
  }

  /**
   * An instant: an ISO 8601 date-time with a zone ("2024-03-20T12:00:00Z", "…+02:00"), or a date
   * YYYY-MM-DD meaning its midnight UTC.
   */
  instant(name: string): Date | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    if (DATE.test(raw)) return new Date(`${this.date(name)}T00:00:00Z`);
    const parsed = new Date(raw);
    const day = raw.slice(0, 10);
    if (
      !INSTANT.test(raw) || Number.isNaN(parsed.getTime()) ||
      new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day // 2024-02-30 rolls over
    ) {
      throw invalid(name, "a date YYYY-MM-DD or an ISO date-time with a zone", raw);
    }
    return parsed;
  }

  /** An integer within [min, max], or `fallback` when absent. */
  integer(name: string, options: { min: number; max: number; fallback: number }): number {
    const raw = this.#raw(name);
    if (raw === undefined) return options.fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < options.min || value > options.max) {
      throw invalid(name, `an integer from ${options.min} to ${options.max}`, raw);
    }
    return value;
  }

  /** Free text up to `maxLength` characters. */
  text(name: string, maxLength = 200): string | undefined {
    const raw = this.#raw(name);
    if (raw !== undefined && raw.length > maxLength) {
      throw invalid(name, `at most ${maxLength} characters`, raw);
    }
    return raw;
  }

  /** A ticker symbol, upper-cased (aapl → AAPL, $aapl → AAPL). */
  symbol(name: string): string | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    const symbol = normalizeSymbol(raw);
    if (symbol === null) throw invalid(name, "a ticker symbol", raw);
    return symbol;
  }

  /** One of `allowed`, or `fallback` when absent. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.#raw(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw invalid(name, `one of ${allowed.join(", ")}`, raw);
    }
    return raw as T;
  }

  /** An opaque pagination cursor: base64url JSON decoded by `decode`, which throws on bad shape. */
  cursor<T>(name: string, decode: (value: unknown) => T): T | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    try {
      const json = new TextDecoder().decode(
        Uint8Array.from(
          atob(raw.replaceAll("-", "+").replaceAll("_", "/")),
          (c) => c.charCodeAt(0),
        ),
      );
      return decode(JSON.parse(json));
    } catch {
      throw invalid(name, "a cursor returned by a previous page", raw);
    }
  }
}

/** Encodes a pagination cursor for `QueryParams.cursor`. */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}
