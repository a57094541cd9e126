// RSS 2.0, RSS 1.0 (RDF) and Atom payloads → news entries. Pure: bytes in, entries and the
// reasons for every rejected item out. Anything that is not a complete feed (an HTML error page,
// a truncated download, JSON) throws PayloadError so that the archive records why.
import { decodeHTMLStrict, escapeText } from "entities";
import {
  type FetchedPayload,
  type ParseResult,
  PayloadError,
  type Rejection,
} from "../net/fetched.ts";
import { canonicalUrl } from "./canonical_url.ts";
import { parseFeedDate } from "./dates.ts";
import { decodeText } from "./decode_text.ts";
import { collapseWhitespace, htmlToText, truncateText } from "./html_text.ts";
import type { NewsEntry } from "./port.ts";
import { attribute, child, children, parseXml, textContent, type XmlElement } from "./xml_tree.ts";

/** Summaries feed the embedder and the UI's news cards: a few sentences are enough. */
export const SUMMARY_MAX_CHARS = 500;
export const TITLE_MAX_CHARS = 300;

const NS: Record<string, readonly string[]> = {
  none: [""],
  atom: ["http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"],
  // RSS 1.0, RSS 0.90, and no namespace (some RDF feeds forget the default declaration).
  rss1: ["http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/", ""],
  rdf: ["http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  dc: ["http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"],
  content: ["http://purl.org/rss/1.0/modules/content/"],
  media: ["http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"],
  feedburner: ["http://rssnamespace.org/feedburner/ext/1.0"],
};

/** One item as the feed gave it, before cleaning and validation. */
interface RawItem {
  title: string | null;
  /** Candidate links, best first, each with the base it is relative to. */
  links: { href: string; base: string }[];
  summary: string | null;
  /** Candidate date texts, best first (publication before update). */
  dates: string[];
  language: string | null;
}

interface FeedContext {
  source: string;
  language: string | null;
  fetchedAt: Date;
}

/** Parses an RSS or Atom payload; throws PayloadError when it is not a complete feed. */
export function parseFeed(payload: FetchedPayload): ParseResult<NewsEntry> {
  const text = decodeText(payload.body, payload.contentType);
  const root = feedRoot(payload.source, text);
  const base = payload.url;
  let items: RawItem[];
  let feedTitle: string | null;
  let language: string | null;

  if (root.local === "feed") {
    const atom = [root.ns];
    const feedBase = resolveBase(root, base);
    feedTitle = textConstruct(child(root, atom, "title"));
    language = root.attrs["xml:lang"] ?? null;
    items = children(root, atom, "entry").map((entry) => atomEntry(entry, atom, feedBase));
  } else if (root.local === "rss") {
    // No namespace, or Userland's old "http://backend.userland.com/rss2" default namespace.
    const rss = [root.ns];
    const channel = child(root, rss, "channel");
    if (!channel) throw new PayloadError(payload.source, "RSS without a <channel>");
    feedTitle = htmlText(child(channel, rss, "title"));
    language = plainText(child(channel, rss, "language") ?? child(channel, NS.dc, "language"));
    items = children(channel, rss, "item").map((item) => rssItem(item, rss, base));
  } else {
    // RSS 1.0: <rdf:RDF> holds the channel and, beside it, the items.
    const channel = child(root, NS.rss1, "channel");
    feedTitle = channel ? htmlText(child(channel, NS.rss1, "title")) : null;
    language = channel ? plainText(child(channel, NS.dc, "language")) : null;
    items = children(root, NS.rss1, "item").map((item) => rssItem(item, NS.rss1, base));
  }

  const context: FeedContext = {
    source: feedTitle || hostName(base),
    language: normaliseLanguage(language),
    fetchedAt: payload.fetchedAt,
  };
  const rows: NewsEntry[] = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const at = index + 1;
    const entry = toEntry(item, context);
    if (typeof entry === "string") {
      rejected.push({ at, reason: entry });
    } else if (seen.has(entry.url)) {
      rejected.push({ at, reason: `duplicate link (same as entry ${seen.get(entry.url)})` });
    } else {
      seen.set(entry.url, at);
      rows.push(entry);
    }
  });
  return { rows, rejected };
}

/** The root element of a complete RSS, RDF or Atom document, or a PayloadError saying what it is instead. */
function feedRoot(source: string, text: string): XmlElement {
  const trimmed = text.trimStart();
  if (!trimmed) throw new PayloadError(source, "empty payload, not a feed");
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    throw new PayloadError(source, "JSON, not an RSS or Atom feed");
  }
  const { root, rootClosed } = parseXml(text);
  if (!root) throw new PayloadError(source, "no XML element: not an RSS or Atom feed");
  const name = root.local;
  if (name === "html" || name === "body" || name === "head") {
    throw new PayloadError(source, "an HTML page, not an RSS or Atom feed");
  }
  const isFeed = name === "rss" ||
    (name === "feed" && [...NS.atom, ""].includes(root.ns)) ||
    (name === "rdf" && NS.rdf.includes(root.ns));
  if (!isFeed) throw new PayloadError(source, `not an RSS or Atom feed (root <${root.name}>)`);
  if (!rootClosed) throw new PayloadError(source, `truncated: <${root.name}> is never closed`);
  return root;
}

// ------------------------------------------------------------------------------ per dialect

function rssItem(item: XmlElement, ns: readonly string[], base: string): RawItem {
  const links: RawItem["links"] = [];
  // FeedBurner rewrites <link> to a redirect and keeps the publisher's URL in origLink.
  pushText(links, child(item, NS.feedburner, "origlink"), base);
  const link = child(item, ns, "link");
  if (link) links.push({ href: textContent(link).trim() || (link.attrs.href ?? ""), base });
  const guid = child(item, ns, "guid");
  if (guid && guid.attrs.isPermaLink?.trim().toLowerCase() !== "false") pushAbsolute(links, guid);
  for (const atomLink of alternateLinks(item, NS.atom)) {
    links.push({ href: atomLink.attrs.href ?? "", base });
  }
  if (ns === NS.rss1) {
    // RSS 1.0 names each item's URL in rdf:about.
    const about = attribute(item, "about");
    if (about) links.push({ href: about, base });
  }

  const media = mediaDescription(item);
  return {
    title: htmlText(child(item, ns, "title")) ||
      htmlText(child(item, NS.dc, "title")) ||
      htmlText(child(item, NS.media, "title")),
    links,
    summary: htmlText(child(item, ns, "description")) ||
      htmlText(child(item, NS.content, "encoded")) ||
      media ||
      textConstruct(child(item, NS.atom, "summary")),
    dates: [
      child(item, ns, "pubdate"),
      child(item, NS.dc, "date"),
      child(item, NS.atom, "published"),
      child(item, NS.atom, "updated"),
    ].flatMap((element) => (element ? [textContent(element)] : [])),
    language: plainText(child(item, NS.dc, "language")),
  };
}

function atomEntry(entry: XmlElement, atom: readonly string[], feedBase: string): RawItem {
  const base = resolveBase(entry, feedBase);
  const links: RawItem["links"] = [];
  pushText(links, child(entry, NS.feedburner, "origlink"), base);
  const alternates = alternateLinks(entry, atom);
  // Prefer the HTML page over other alternates (a PDF, an audio file).
  alternates.sort((a, b) => Number(!isHtmlType(a.attrs.type)) - Number(!isHtmlType(b.attrs.type)));
  for (const link of alternates) {
    links.push({ href: link.attrs.href ?? "", base: resolveBase(link, base) });
  }
  // Many Atom feeds use the permalink as the entry id.
  pushAbsolute(links, child(entry, atom, "id"));

  const content = child(entry, atom, "content");
  return {
    title: textConstruct(child(entry, atom, "title")),
    links,
    summary: textConstruct(child(entry, atom, "summary")) ||
      (content && !content.attrs.src ? textConstruct(content) : null) ||
      mediaDescription(entry),
    dates: [
      child(entry, atom, "published"),
      child(entry, atom, "issued"),
      child(entry, NS.dc, "date"),
      child(entry, atom, "updated"),
      child(entry, atom, "modified"),
    ].flatMap((element) => (element ? [textContent(element)] : [])),
    language: entry.attrs["xml:lang"] ?? null,
  };
}

// ------------------------------------------------------------------------------- validation

/** A clean entry, or the reason the item is rejected. */
function toEntry(item: RawItem, context: FeedContext): NewsEntry | string {
  const title = item.title ? truncateText(item.title, TITLE_MAX_CHARS) : "";
  if (!title) return "no title";
  const candidates = item.links.filter((link) => link.href.trim() !== "");
  if (candidates.length === 0) return "no link";
  let url: string | null = null;
  for (const link of candidates) {
    url = canonicalUrl(link.href, link.base);
    if (url) break;
  }
  if (!url) {
    return `link is not an http(s) URL: ${JSON.stringify(candidates[0].href.slice(0, 200))}`;
  }

  let publishedAt: Date | null = null;
  for (const text of item.dates) {
    publishedAt = parseFeedDate(text, context.fetchedAt);
    if (publishedAt) break;
  }
  const summary = item.summary ? truncateText(item.summary, SUMMARY_MAX_CHARS) : null;
  return {
    url,
    title,
    // Many feeds repeat the title as the description: that is no summary.
    summary: summary && summary !== title ? summary : null,
    publishedAt,
    source: context.source,
    language: normaliseLanguage(item.language) ?? context.language,
    // Per-ticker feeds are tagged by the caller; cashtags are found by matching.
    symbols: [],
  };
}

// ---------------------------------------------------------------------------------- helpers

/** RSS text fields are HTML in practice (entities, <b>, CDATA): read them as HTML. */
function htmlText(element: XmlElement | undefined): string | null {
  if (!element) return null;
  return htmlToText(textContent(element)) || null;
}

/** A field that is plain text by definition (language codes, ids). */
function plainText(element: XmlElement | undefined): string | null {
  if (!element) return null;
  return collapseWhitespace(textContent(element)) || null;
}

/** An Atom text construct: type "text" (default), "html" (escaped) or "xhtml" (inline markup). */
function textConstruct(element: XmlElement | undefined): string | null {
  if (!element) return null;
  const type = (element.attrs.type ?? "text").trim().toLowerCase();
  const escaped = element.attrs.mode === "escaped"; // Atom 0.3
  let text: string;
  if (type === "xhtml" || type === "application/xhtml+xml") {
    text = htmlToText(element.children.map(serialise).join(""));
  } else if (type.includes("html") || escaped) {
    text = htmlToText(textContent(element));
  } else {
    // Plain text, but decode the HTML entities that sloppy feeds leave in it (&nbsp;, &eacute;).
    text = collapseWhitespace(decodeHTMLStrict(textContent(element)));
  }
  return text || null;
}

/** Inline XHTML back to markup, so that block elements still separate words in htmlToText. */
function serialise(node: XmlElement["children"][number]): string {
  if (typeof node === "string") return escapeText(node);
  return `<${node.local}>${node.children.map(serialise).join("")}</${node.local}>`;
}

/** <media:description>, directly or inside <media:group> / <media:content> (YouTube, podcasts). */
function mediaDescription(element: XmlElement): string | null {
  const direct = htmlText(child(element, NS.media, "description"));
  if (direct) return direct;
  for (
    const container of [
      ...children(element, NS.media, "group"),
      ...children(element, NS.media, "content"),
    ]
  ) {
    const nested = htmlText(child(container, NS.media, "description"));
    if (nested) return nested;
  }
  return null;
}

/** <link rel="alternate"> (or no rel, which means alternate) in the given namespaces. */
function alternateLinks(element: XmlElement, ns: readonly string[]): XmlElement[] {
  return children(element, ns, "link").filter((link) => {
    const rel = (link.attrs.rel ?? "alternate").trim().toLowerCase();
    return rel === "alternate" && link.attrs.href !== undefined;
  });
}

function isHtmlType(type: string | undefined): boolean {
  return type === undefined || /html/i.test(type);
}

function pushText(links: RawItem["links"], element: XmlElement | undefined, base: string): void {
  const href = element ? textContent(element).trim() : "";
  if (href) links.push({ href, base });
}

/** Ids (guid, Atom id) count as links only when absolute: "12345" is an id, not a path. */
function pushAbsolute(links: RawItem["links"], element: XmlElement | undefined): void {
  const href = element ? textContent(element).trim() : "";
  if (/^https?:\/\//i.test(href)) links.push({ href, base: href });
}

/** The base URL inside an element: its xml:base resolved against the enclosing base. */
function resolveBase(element: XmlElement, base: string): string {
  const declared = element.attrs["xml:base"]?.trim();
  if (!declared) return base;
  try {
    return new URL(declared, base).href;
  } catch {
    return base;
  }
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "") || "unknown";
  } catch {
    return "unknown";
  }
}

/** "en-US", "EN_us" → "en-us"; anything that is not a language tag → null. */
function normaliseLanguage(language: string | null): string | null {
  const tag = language?.trim().replace(/_/g, "-").toLowerCase();
  return tag && /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/.test(tag) ? tag : null;
}
