// A small namespace-aware element tree over htmlparser2's XML mode.
//
// Why htmlparser2 and not a strict XML parser: real feeds are often not well-formed (a bare "&"
// in a link, an HTML entity such as &nbsp; that XML doesn't define), and readers accept them, so
// we must too. What we must NOT accept is a truncated download: htmlparser2 reports elements it
// had to close itself at the end of input, and an implied close of the root element means the
// document stopped early.
import { Parser } from "htmlparser2";

export interface XmlElement {
  /** Namespace URI, "" for none. */
  ns: string;
  /** Local name, lower-cased: feeds in the wild disagree on "pubDate" vs "pubdate". */
  local: string;
  /** The name as written, prefix included ("dc:date"). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

/** Text (entities of XML decoded, CDATA as written) or an element. */
export type XmlNode = XmlElement | string;

export interface XmlDocument {
  /** The first top-level element; null when the text has none (JSON, plain text, empty). */
  root: XmlElement | null;
  /** False when the input ended before the root element's end tag: a truncated document. */
  rootClosed: boolean;
}

/** Prefixes feeds use without declaring them; resolved as if they had been. */
const UNDECLARED_PREFIXES: Record<string, string> = {
  xml: "http://www.w3.org/XML/1998/namespace",
  dc: "http://purl.org/dc/elements/1.1/",
  content: "http://purl.org/rss/1.0/modules/content/",
  media: "http://search.yahoo.com/mrss/",
  atom: "http://www.w3.org/2005/Atom",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  feedburner: "http://rssnamespace.org/feedburner/ext/1.0",
};

type Scope = Record<string, string>;

/** Parses XML leniently into elements with resolved namespaces (see the module comment). */
export function parseXml(text: string): XmlDocument {
  let root: XmlElement | null = null;
  let rootClosed = false;
  // Closes during end() are the parser's own, for elements the input left open. (Self-closing
  // elements are also reported as "implied", so `isImplied` alone can't tell.)
  let ending = false;
  const stack: { element: XmlElement; scope: Scope }[] = [];

  const parser = new Parser({
    onopentag(name, attrs) {
      const parentScope = stack.at(-1)?.scope ?? {};
      const scope = declarations(parentScope, attrs);
      const colon = name.indexOf(":");
      const prefix = colon < 0 ? "" : name.slice(0, colon);
      const element: XmlElement = {
        ns: scope[prefix] ?? UNDECLARED_PREFIXES[prefix] ?? "",
        local: name.slice(colon + 1).toLowerCase(),
        name,
        attrs,
        children: [],
      };
      const parent = stack.at(-1)?.element;
      if (parent) parent.children.push(element);
      else if (root === null) root = element;
      stack.push({ element, scope });
    },
    onclosetag(_name, isImplied) {
      const closed = stack.pop();
      if (closed && closed.element === root && stack.length === 0) {
        rootClosed = !(ending && isImplied);
      }
    },
    ontext(data) {
      const parent = stack.at(-1)?.element;
      if (parent) parent.children.push(data);
    },
  }, { xmlMode: true, decodeEntities: true });
  parser.write(text);
  ending = true;
  parser.end();
  return { root, rootClosed };
}

/** The scope inside an element: its parent's plus its own xmlns declarations ("" = default). */
function declarations(parent: Scope, attrs: Record<string, string>): Scope {
  let scope = parent;
  for (const [name, value] of Object.entries(attrs)) {
    if (name !== "xmlns" && !name.startsWith("xmlns:")) continue;
    if (scope === parent) scope = { ...parent };
    scope[name === "xmlns" ? "" : name.slice(6)] = value.trim();
  }
  return scope;
}

/** Child elements named `local` (lower case) in one of the namespaces `ns`. */
export function children(element: XmlElement, ns: readonly string[], local: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement =>
    typeof child !== "string" && child.local === local && ns.includes(child.ns)
  );
}

/** The first child element named `local` in one of `ns`. */
export function child(
  element: XmlElement,
  ns: readonly string[],
  local: string,
): XmlElement | undefined {
  return children(element, ns, local)[0];
}

/** All text inside an element, descendants included, as written (not trimmed). */
export function textContent(node: XmlNode): string {
  if (typeof node === "string") return node;
  return node.children.map(textContent).join("");
}

/** An attribute by local name, whatever its prefix ("rdf:about" → "about"). */
export function attribute(element: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(element.attrs)) {
    if (name === local || name.slice(name.indexOf(":") + 1) === local) return value;
  }
  return undefined;
}
