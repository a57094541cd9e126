import assert from "node:assert/strict";
import { charsetOf, decodeText } from "./decode_text.ts";

const encoder = new TextEncoder();
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

Deno.test("UTF-8 by default, BOM stripped", () => {
  assert.equal(decodeText(encoder.encode("<rss>é</rss>"), null), "<rss>é</rss>");
  assert.equal(
    decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("<a/>")]), "text/xml"),
    "<a/>",
  );
  assert.equal(decodeText(new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x61, 0]), null), "<a");
});

Deno.test("Content-Type charset, then the XML declaration", () => {
  assert.equal(decodeText(latin1("caf\xe9"), "text/xml; charset=ISO-8859-1"), "café");
  assert.equal(
    decodeText(latin1("\x93quoted\x94"), 'text/xml; charset="windows-1252"'),
    "“quoted”",
  );
  assert.equal(
    decodeText(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><t>caf\xe9</t>'), "text/xml"),
    '<?xml version="1.0" encoding="ISO-8859-1"?><t>café</t>',
  );
  // An unknown label falls through to the next rule.
  assert.equal(decodeText(encoder.encode("é"), "text/xml; charset=bogus-9"), "é");
});

Deno.test("a Latin-1 label on valid UTF-8 bytes: UTF-8 wins", () => {
  assert.equal(
    decodeText(encoder.encode("café – “x”"), "text/xml; charset=us-ascii"),
    "café – “x”",
  );
  assert.equal(decodeText(encoder.encode("plain"), "text/xml; charset=iso-8859-1"), "plain");
});

Deno.test("invalid bytes become U+FFFD", () => {
  assert.equal(decodeText(new Uint8Array([0x61, 0xff, 0x62]), "application/rss+xml"), "a\ufffdb");
});

Deno.test("charset parameter parsing", () => {
  assert.equal(charsetOf(null), null);
  assert.equal(charsetOf("application/rss+xml"), null);
  assert.equal(charsetOf("application/rss+xml;charset=UTF-8"), "UTF-8");
  assert.equal(charsetOf('text/xml; foo=bar; Charset = "utf-8" '), "utf-8");
  assert.equal(charsetOf("text/xml; charset="), null);
});
