// The one place that decides what a page request answers when a handler, middleware or page
// throws. (The JSON API maps the same error classes in lib/http.)
import { HttpError } from "../http/errors.ts";

export type ErrorOutcome =
  | { kind: "notFound" }
  | { kind: "page"; status: number }
  | { kind: "redirect"; status: number; location: string };

export function pageErrorOutcome(error: unknown, _url: URL): ErrorOutcome {
  if (!(error instanceof HttpError)) return { kind: "page", status: 500 };
  if (error.status === 404) return { kind: "notFound" };
  // When a /login page exists, send signed-out visitors there instead of the 401 page:
  // if (error.status === 401) {
  //   const next = encodeURIComponent(_url.pathname + _url.search);
  //   return { kind: "redirect", status: 303, location: `/login?next=${next}` };
  // }
  const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
  return { kind: "page", status };
}
