// The one place that decides what a page request answers when a handler, middleware or page
// throws. (The JSON API maps the same error classes in lib/http.)
import { loginPath } from "../auth/next_path.ts";
import { HttpError } from "../http/errors.ts";

export type ErrorOutcome =
  | { kind: "notFound" }
  | { kind: "page"; status: number }
  | { kind: "redirect"; status: number; location: string };

export function pageErrorOutcome(error: unknown, url: URL): ErrorOutcome {
  if (!(error instanceof HttpError)) return { kind: "page", status: 500 };
  if (error.status === 404) return { kind: "notFound" };
  // Signed-out visitors go to the sign-in page, which brings them back here afterwards.
  if (error.status === 401) {
    return { kind: "redirect", status: 303, location: loginPath(url.pathname + url.search) };
  }
  const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
  return { kind: "page", status };
}
