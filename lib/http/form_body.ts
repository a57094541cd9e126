// Reads a page's form post (application/x-www-form-urlencoded or multipart/form-data) without
// holding more than the body limit in memory: 413 past it, 415 for another content type, 400 for
// a body that does not parse.
import { HttpError, PayloadTooLarge } from "./errors.ts";
import { readBodyLimited } from "./read_body.ts";

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

export async function readForm(req: Request, limitBytes: number): Promise<FormData> {
  const type = req.headers.get("Content-Type") ?? "";
  if (!FORM_TYPE.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Expected a form post");
  }
  const declared = req.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limitBytes) throw new PayloadTooLarge(limitBytes);
  const body = req.body ? await readBodyLimited(req.body, limitBytes) : new Uint8Array();
  try {
    return await new Response(body, { headers: { "Content-Type": type } }).formData();
  } catch {
    throw new HttpError(400, "invalid_form", "The form post could not be read");
  }
}
