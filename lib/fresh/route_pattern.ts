// Turns a file path under routes/ into a URL matcher. Pure: the route table compiles every
// pattern once at start-up, so matching a request never touches the file system.

export interface RoutePattern {
  /** Fresh-style display form: "/stocks/:id", "/docs/:path*". */
  pattern: string;
  regex: RegExp;
  /** Names of the regex's capture groups, in order. */
  paramNames: string[];
  /** True when the pattern has no dynamic part (exact-match fast path). */
  isStatic: boolean;
  /** Specificity per segment: 0 static, 1 mixed ("post-[id]"), 2 param, 3 catch-all. */
  rank: number[];
}

const PARAM = /\[([A-Za-z_$][\w$]*)\]/g;
const CATCH_ALL = /^\[\.\.\.([A-Za-z_$][\w$]*)\]$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The percent-encoding `URL.pathname` uses, so static segments compare with raw pathnames. */
function encodeSegment(text: string): string {
  return new URL(`http://x/${text}`).pathname.slice(1);
}

function isGroup(segment: string): boolean {
  return /^\(.+\)$/.test(segment);
}

/**
 * `path` is relative to routes/ without extension: "index", "stocks/[id]", "(group)/about",
 * "docs/[...path]". With `prefix`, the regex matches the folder and everything below it (used to
 * pick the middleware of unmatched paths).
 */
export function parseRoutePath(path: string, prefix = false): RoutePattern {
  const segments = path.split("/").filter((segment) => segment !== "" && !isGroup(segment));
  if (!prefix && segments.at(-1) === "index") segments.pop();
  const paramNames: string[] = [];
  const rank: number[] = [];
  const display: string[] = [];
  let source = "";
  for (const [index, segment] of segments.entries()) {
    const catchAll = CATCH_ALL.exec(segment);
    if (catchAll) {
      if (index !== segments.length - 1) {
        throw new Error(`routes/${path}: a catch-all segment must be the last one`);
      }
      paramNames.push(catchAll[1]);
      rank.push(3);
      display.push(`:${catchAll[1]}*`);
      source += "(?:/(.*))?";
      continue;
    }
    if (/[[\]]/.test(segment.replace(PARAM, ""))) {
      throw new Error(`routes/${path}: malformed dynamic segment "${segment}"`);
    }
    let segmentSource = "";
    let segmentDisplay = "";
    let last = 0;
    let params = 0;
    for (const match of segment.matchAll(PARAM)) {
      const text = segment.slice(last, match.index);
      segmentSource += escapeRegex(encodeSegment(text));
      segmentDisplay += text;
      segmentSource += "([^/]+?)";
      segmentDisplay += `:${match[1]}`;
      paramNames.push(match[1]);
      last = match.index + match[0].length;
      params++;
    }
    const tail = segment.slice(last);
    segmentSource += escapeRegex(encodeSegment(tail));
    segmentDisplay += tail;
    const whole = params === 1 && segment === `[${paramNames.at(-1)}]`;
    rank.push(params === 0 ? 0 : whole ? 2 : 1);
    display.push(segmentDisplay);
    source += `/${segmentSource}`;
  }
  const duplicate = paramNames.find((name, index) => paramNames.indexOf(name) !== index);
  if (duplicate) throw new Error(`routes/${path}: parameter "${duplicate}" appears twice`);
  const anchored = prefix ? `^${source}(?=/|$)` : `^${source === "" ? "/" : source}$`;
  return {
    pattern: `/${display.join("/")}`,
    regex: new RegExp(anchored),
    paramNames,
    isStatic: paramNames.length === 0,
    rank,
  };
}

/** Orders routes most specific first: static before dynamic before catch-all, segment by segment. */
export function compareRoutePatterns(a: RoutePattern, b: RoutePattern): number {
  const length = Math.min(a.rank.length, b.rank.length);
  for (let index = 0; index < length; index++) {
    if (a.rank[index] !== b.rank[index]) return a.rank[index] - b.rank[index];
  }
  if (a.rank.length !== b.rank.length) return a.rank.length - b.rank.length;
  return a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0;
}

/** Decoded params, or null when the path doesn't match. Throws URIError on bad percent-encoding. */
export function matchRoutePattern(
  route: RoutePattern,
  pathname: string,
): Record<string, string> | null {
  const match = route.regex.exec(pathname);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const [index, name] of route.paramNames.entries()) {
    params[name] = decodeURIComponent(match[index + 1] ?? "");
  }
  return params;
}
