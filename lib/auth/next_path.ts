// Where to send a browser after signing in (or refreshing its login): only a path on this site,
// never an open redirect to another one.
import { hasControlCharacter } from "../util/control_characters.ts";

const BASE = "http://craveny.invalid";

/** `raw` when it is a path on this site ("/stocks?q=apple"), else null. */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2_000 || !raw.startsWith("/")) return null;
  // "//evil.example" is another host; browsers read "\" as "/" and drop tabs and newlines, so
  // "/\evil.example" and "/\t/evil.example" would be too.
  if (raw.startsWith("//") || raw.includes("\\") || hasControlCharacter(raw)) return null;
  const url = new URL(raw, BASE);
  return url.origin === BASE ? raw : null;
}

/** The sign-in page, coming back to `path` afterwards. */
export function loginPath(path: string): string {
  return path === "/" ? "/login" : `/login?${new URLSearchParams({ next: path })}`;
}
