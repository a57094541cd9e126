// URLs end up in errors, logs and the raw_payload table: strip credentials from them first.

/** Query parameter names that carry credentials (api_key, token, x_cg_demo_api_key, crumb, sig…). */
const SECRET_PARAMETER = /key|token|secret|passw|signature|^sig$|auth|credential|crumb|session/i;

/**
 * `url` with user-info and the values of secret-looking query parameters replaced by `***`.
 * A URL with nothing to hide is returned exactly as given (no re-encoding), so it stays a stable
 * key for de-duplication.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<invalid URL>";
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = "***";
    parsed.password = "";
    changed = true;
  }
  for (const name of new Set(parsed.searchParams.keys())) {
    if (SECRET_PARAMETER.test(name)) {
      parsed.searchParams.set(name, "***");
      changed = true;
    }
  }
  return changed ? parsed.href : String(url);
}
