// First steps of every market parser: bytes → text → JSON, refusing at once what is plainly not
// data (an HTML error or consent page, a truncated download) with a PayloadError that says so.
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";

/** The payload as UTF-8 text without a byte-order mark. */
export function payloadText(payload: FetchedPayload): string {
  return new TextDecoder().decode(payload.body).replace(/^\uFEFF/, "");
}

/** Throws when `text` is an HTML page (providers answer errors and throttling with HTML). */
export function refuseHtml(source: string, text: string): void {
  if (!/^\s*</.test(text)) return;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, " ").trim();
  throw new PayloadError(source, `got an HTML page${title ? ` ("${title}")` : ""} instead of data`);
}

/** Parses JSON, naming truncation (the usual cause of a syntax error here) in the error. */
export function parseJson(source: string, text: string): unknown {
  refuseHtml(source, text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PayloadError(source, `not valid JSON (truncated?): ${detail}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
