/** Bytes as a source delivered them: archived (lib/archive) before any parsing. */
export interface FetchedPayload {
  /** Adapter name: "yahoo", "stooq", "coingecko", "feed", "simulator", "import". */
  source: string;
  url: string;
  contentType: string | null;
  body: Uint8Array;
  fetchedAt: Date;
}

/** A rejected row, entry or record: where it was and why. */
export interface Rejection {
  /** 1-based line (files) or entry index (payloads). */
  at: number;
  reason: string;
}

/** What a parser returns: the good rows, and every bad one with its reason (never thrown away silently). */
export interface ParseResult<T> {
  rows: T[];
  rejected: Rejection[];
}

/** A payload that cannot be parsed at all (HTML error page, truncated JSON, wrong format). */
export class PayloadError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = "PayloadError";
  }
}
