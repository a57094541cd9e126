// One URL per story: `news.url` is unique, so the same article reached through a newsletter, a
// social share or a feed redirect must produce the same string.

/** Query parameters that only say how the reader arrived, never what the page shows. */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "gclsrc",
  "dclid",
  "msclkid",
  "yclid",
  "igshid",
  "mc_cid",
  "mc_eid",
  "ref",
  "ref_src",
  "ref_url",
  "referrer",
  "cmpid",
  "guccounter",
  "soc_src",
  "soc_trk",
  "yptr",
  "ncid",
  ".tsrc",
  "_hsenc",
  "_hsmi",
  "mkt_tok",
  "s_cid",
  "s_kwcid",
  "sr_share",
  "wt.mc_id",
  "smid",
  "smtyp",
]);

/** Whole families: utm_source, utm_medium…; guce_referrer, guce_referrer_sig (Yahoo consent). */
const TRACKING_PREFIXES = ["utm_", "guce_", "pk_", "mtm_", "hsa_", "at_"];

function isTracking(rawKey: string): boolean {
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, " "));
  } catch {
    // A malformed escape is kept as written.
  }
  key = key.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * Canonical form of an article URL, resolved against `base` when relative; null when it is not
 * an http(s) URL. Lower-cases scheme and host (WHATWG URL does), drops default ports, userinfo,
 * the fragment and tracking parameters, sorts the remaining parameters by name (keeping their
 * raw encoding and the order of repeated names), and drops an empty `?`. Path case is kept:
 * servers may treat it as significant.
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  url.username = "";
  url.password = "";
  url.hash = "";
  // "example.com." and "example.com" are the same host.
  if (url.hostname.endsWith(".")) url.hostname = url.hostname.slice(0, -1);

  // Split by hand: URLSearchParams would re-encode values ("%20" → "+", "/" → "%2F").
  const pairs = url.search.slice(1).split("&").filter((pair) => pair !== "");
  const kept = pairs
    .map((pair, index) => ({ pair, key: pair.split("=", 1)[0], index }))
    .filter(({ key }) => !isTracking(key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map(({ pair }) => pair);
  url.search = kept.length ? `?${kept.join("&")}` : "";
  return url.href;
}
