import assert from "node:assert/strict";
import { CsvError, CsvParser, type CsvRecord, parseCsv } from "./csv.ts";

function parse(text: string, chunks: number[] = []): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  let at = 0;
  for (const end of [...chunks, text.length]) {
    records.push(...parser.push(text.slice(at, end)));
    at = end;
  }
  return [...records, ...parser.end()];
}

const fields = (records: CsvRecord[]) => records.map((record) => record.fields);

function bytes(parts: (string | number[])[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = parts.map((part) =>
    typeof part === "string" ? encoder.encode(part) : Uint8Array.from(part)
  );
  return ReadableStream.from(chunks);
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of parseCsv(stream)) records.push(record);
  return records;
}

Deno.test("csv: plain, quoted, escaped quotes, empty fields", () => {
  assert.deepEqual(fields(parse('a,b,c\n1,"x, y","say ""hi"""\n,,\n"",x,\n')), [
    ["a", "b", "c"],
    ["1", "x, y", 'say "hi"'],
    ["", "", ""],
    ["", "x", ""],
  ]);
});

Deno.test("csv: line breaks inside quotes; records report the line they start on", () => {
  const records = parse('h1,h2\r\n"multi\r\nline\nfield",2\r\n3,"4"\r\n');
  assert.deepEqual(records, [
    { line: 1, fields: ["h1", "h2"] },
    { line: 2, fields: ["multi\r\nline\nfield", "2"] },
    { line: 5, fields: ["3", "4"] },
  ]);
});

Deno.test("csv: BOM, blank lines, no final line break, lone CR line ends", () => {
  assert.deepEqual(parse("\uFEFFa,b\n\n\n1,2"), [
    { line: 1, fields: ["a", "b"] },
    { line: 4, fields: ["1", "2"] },
  ]);
  assert.deepEqual(parse("a\rb\r\rc"), [
    { line: 1, fields: ["a"] },
    { line: 2, fields: ["b"] },
    { line: 4, fields: ["c"] },
  ]);
  assert.deepEqual(parse(""), []);
  assert.deepEqual(parse("\n\r\n"), []);
  assert.deepEqual(fields(parse("x,")), [["x", ""]]);
  assert.deepEqual(fields(parse('"x"')), [["x"]]);
});

Deno.test("csv: lenient about stray quotes; strict about an unterminated quoted field", () => {
  assert.deepEqual(fields(parse('5" screen,"a"b,c\n')), [['5" screen', "ab", "c"]]);
  assert.throws(
    () => parse('a,b\n1,"never closed\n2,3\n'),
    (error: unknown) =>
      error instanceof CsvError && error.line === 2 &&
      error.message === "line 2: quoted field is never closed",
  );
  const parser = new CsvParser({ maxFieldLength: 10 });
  assert.throws(() => parser.push('x\n"' + "y".repeat(20)), /line 2: field longer than 10/);
});

Deno.test("csv: another delimiter", () => {
  const parser = new CsvParser({ delimiter: ";" });
  assert.deepEqual(fields([...parser.push('a;"b;c",d\n'), ...parser.end()]), [["a", "b;c,d"]]);
  assert.throws(() => new CsvParser({ delimiter: '"' }), RangeError);
});

Deno.test("csv: the same records wherever the chunks split (quotes, CRLF, doubled quotes)", () => {
  const text = 'id,text\r\n1,"a ""quoted"",\r\nmulti-line"\r\n2,plain\r\n\r\n3,"x"\r\n4,';
  const whole = parse(text);
  assert.equal(whole.length, 5);
  for (let split = 0; split <= text.length; split++) {
    assert.deepEqual(parse(text, [split]), whole, `split at ${split}`);
    for (let second = split; second <= text.length; second += 3) {
      assert.deepEqual(parse(text, [split, second]), whole, `split at ${split}, ${second}`);
    }
  }
  const oneByOne = Array.from({ length: text.length }, (_, i) => i);
  assert.deepEqual(parse(text, oneByOne), whole);
});

Deno.test("parseCsv: decodes UTF-8 split across chunks, strips the BOM", async () => {
  // "é" is C3 A9 and "€" E2 82 AC: split inside both, and between CR and LF.
  const records = await collect(bytes([
    [0xef, 0xbb],
    [0xbf],
    "name,price\r",
    "\ncaf",
    [0xc3],
    [0xa9, 0x2c, 0xe2, 0x82],
    [0xac],
    "3\r",
    "\n",
  ]));
  assert.deepEqual(records, [
    { line: 1, fields: ["name", "price"] },
    { line: 2, fields: ["café", "€3"] },
  ]);
});

Deno.test("parseCsv: an unterminated quote surfaces as a CsvError from the iterator", async () => {
  await assert.rejects(collect(bytes(['a\n"b\n'])), CsvError);
});
