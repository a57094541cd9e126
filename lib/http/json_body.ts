// Reads a JSON request body for an API handler. The result is `unknown`: the handler validates
// its shape. Malformed input is the client's mistake (400), never a 500.
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";
import { HttpError } from "./errors.ts";
import { readBodyLimited } from "./read_body.ts";

/** Used when no body-limit middleware ran for the route (same as BODY_LIMIT_BYTES' default). */
export const DEFAULT_JSON_LIMIT_BYTES = 1_048_576;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function invalidJson(message: string): HttpError {
  return new HttpError(400, "invalid_json", message);
}

/**
 * The parsed JSON body. Throws 400 `invalid_json` for a wrong Content-Type, an empty body or
 * malformed JSON, and 413 `payload_too_large` past the body limit.
 */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
    throw invalidJson("Expected a JSON body with Content-Type: application/json");
  }
  const body = c.req.raw.body;
  if (body === null) throw invalidJson("The request body is empty");
  const limit = c.get("bodyLimitBytes") ?? DEFAULT_JSON_LIMIT_BYTES;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readBodyLimited(body, limit));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw invalidJson("The request body is not valid UTF-8 or could not be read");
  }
  if (text.trim() === "") throw invalidJson("The request body is empty");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson("The request body is not valid JSON");
  }
}
