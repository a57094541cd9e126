import assert from "node:assert/strict";
import { attribute, child, children, parseXml, textContent, type XmlElement } from "./xml_tree.ts";

const ATOM = "http://www.w3.org/2005/Atom";
const DC = "http://purl.org/dc/elements/1.1/";

Deno.test("resolves default, prefixed, nested and undeclared namespaces", () => {
  const { root, rootClosed } = parseXml(
    `<?xml version="1.0"?><!-- c --><rss xmlns:d="${DC}"><channel>
      <d:date>2024</d:date><dc:creator>undeclared</dc:creator>
      <x xmlns="${ATOM}"><link href="h"/><a:b xmlns:a="urn:a"/></x>
      <pubDate>p</pubDate>
    </channel></rss>`,
  );
  assert.ok(root && rootClosed);
  assert.equal(root.local, "rss");
  assert.equal(root.ns, "");
  const channel = child(root, [""], "channel")!;
  assert.equal(textContent(child(channel, [DC], "date")!), "2024");
  // dc: without a declaration still means Dublin Core.
  assert.equal(textContent(child(channel, [DC], "creator")!), "undeclared");
  const x = child(channel, [ATOM], "x")!;
  assert.equal(child(x, [ATOM], "link")?.attrs.href, "h");
  assert.equal(child(x, ["urn:a"], "b")?.name, "a:b");
  // Local names are lower-cased: "pubDate" and "pubdate" are one element to us.
  assert.equal(textContent(child(channel, [""], "pubdate")!), "p");
  assert.equal(children(channel, [""], "missing").length, 0);
});

Deno.test("text: CDATA as written, XML entities decoded, HTML entities left for later", () => {
  const { root } = parseXml(
    "<t><a><![CDATA[<b>x</b> &amp;]]></a><b>A &amp; B &#x2026; &eacute;</b></t>",
  );
  const [a, b] = root!.children as XmlElement[];
  assert.equal(textContent(a), "<b>x</b> &amp;");
  assert.equal(textContent(b), "A & B … &eacute;");
  assert.equal(textContent(root!), "<b>x</b> &amp;A & B … &eacute;");
});

Deno.test("attributes by local name", () => {
  const { root } = parseXml('<item rdf:about="https://x.example/1" href="h"/>');
  assert.equal(attribute(root!, "about"), "https://x.example/1");
  assert.equal(attribute(root!, "href"), "h");
  assert.equal(attribute(root!, "missing"), undefined);
});

Deno.test("an unclosed root element means the document was cut short", () => {
  assert.equal(parseXml("<rss><channel></channel>").rootClosed, false);
  assert.equal(parseXml("<rss><channel></channel></rs").rootClosed, false);
  assert.equal(parseXml("<rss><channel></rss>").rootClosed, true);
  assert.equal(parseXml("<rss/>").rootClosed, true);
  assert.deepEqual(parseXml("no markup here"), { root: null, rootClosed: false });
  assert.deepEqual(parseXml(""), { root: null, rootClosed: false });
});
