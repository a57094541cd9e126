// Payload bytes → text. Feeds still come in ISO-8859-1 and windows-1252; decoding them as UTF-8
// would turn every "é" and curly quote into U+FFFD and break matching and hashing.

/**
 * Decodes with, in order: a byte-order mark; the Content-Type charset; the XML declaration's
 * encoding; UTF-8. An unknown label falls through to the next rule. A Latin-1 label on bytes
 * that are valid, non-ASCII UTF-8 is a server default ("text/xml" means US-ASCII) contradicting
 * the content: UTF-8 wins, as real Latin-1 text is practically never valid UTF-8. Invalid bytes
 * become U+FFFD instead of failing: one bad byte must not lose a whole feed.
 */
export function decodeText(body: Uint8Array, contentType: string | null): string {
  const bom = bomEncoding(body);
  if (bom) return new TextDecoder(bom).decode(body); // TextDecoder strips the BOM itself
  for (const label of [charsetOf(contentType), xmlDeclarationEncoding(body)]) {
    const decoder = label ? decoderFor(label) : null;
    if (!decoder) continue;
    if (decoder.encoding === "windows-1252") return strictUtf8(body) ?? decoder.decode(body);
    return decoder.decode(body);
  }
  return new TextDecoder("utf-8").decode(body);
}

function strictUtf8(body: Uint8Array): string | null {
  if (body.every((byte) => byte < 0x80)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

function bomEncoding(body: Uint8Array): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  return null;
}

/** `text/xml; charset="ISO-8859-1"` → "ISO-8859-1". */
export function charsetOf(contentType: string | null): string | null {
  if (!contentType) return null;
  for (const parameter of contentType.split(";").slice(1)) {
    const [name, ...rest] = parameter.split("=");
    if (name.trim().toLowerCase() === "charset") {
      const value = rest.join("=").trim().replace(/^"(.*)"$/, "$1").trim();
      return value || null;
    }
  }
  return null;
}

/** `<?xml version="1.0" encoding="windows-1252"?>` → "windows-1252" (read as ASCII). */
function xmlDeclarationEncoding(body: Uint8Array): string | null {
  const head = String.fromCharCode(...body.subarray(0, 200));
  const declaration = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/.exec(head);
  return declaration ? declaration[1] : null;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null; // RangeError: a label the WHATWG Encoding Standard doesn't know
  }
}
