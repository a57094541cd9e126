import assert from "node:assert/strict";
import { csvField, csvRecord, csvStream } from "./csv.ts";

Deno.test("csvField: plain values as they are, null empty, dates ISO", () => {
  assert.equal(csvField("AAPL"), "AAPL");
  assert.equal(csvField(""), "");
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(0.75), "0.75");
  assert.equal(csvField(-0.0123), "-0.0123", "negative numbers are numbers, not formulas");
  assert.equal(csvField(42), "42");
  assert.equal(csvField(true), "true");
  assert.equal(csvField(new Date("2024-03-05T14:00:00Z")), "2024-03-05T14:00:00.000Z");
  assert.equal(csvField("Ünïcødé ✓"), "Ünïcødé ✓");
});

Deno.test("csvField: RFC 4180 quoting of quotes, commas and line breaks", () => {
  assert.equal(csvField('say "up"'), '"say ""up"""');
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField("line 1\nline 2"), '"line 1\nline 2"');
  assert.equal(csvField("line 1\r\nline 2"), '"line 1\r\nline 2"');
  assert.equal(csvField('"'), '""""');
});

Deno.test("csvField: text a spreadsheet would evaluate gets a leading apostrophe", () => {
  assert.equal(csvField("=1+1"), "'=1+1");
  assert.equal(csvField("+1"), "'+1");
  assert.equal(csvField("-5%"), "'-5%");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvField("\tx"), "'\tx");
  assert.equal(csvField("\rx"), `"'\rx"`, "defused, then quoted for its line break");
  assert.equal(
    csvField('=HYPERLINK("http://evil.example","click")'),
    `"'=HYPERLINK(""http://evil.example"",""click"")"`,
  );
  assert.equal(csvField("a=b"), "a=b", "only a leading character counts");
  assert.equal(csvField(" =1"), " =1");
});

Deno.test("csvRecord: fields joined by commas, CRLF-terminated", () => {
  assert.equal(csvRecord(["id", "note"]), "id,note\r\n");
  assert.equal(csvRecord([1, null, "x,y", -1]), '1,,"x,y",-1\r\n');
  assert.equal(csvRecord([]), "\r\n");
});

Deno.test("csvStream: the header, then every batch, in order, as UTF-8", async () => {
  async function* batches() {
    yield [[1, "a"], [2, "b"]];
    yield [];
    yield [[3, "ç"]];
  }
  const body = await new Response(csvStream(["id", "name"], batches())).text();
  assert.equal(body, "id,name\r\n1,a\r\n2,b\r\n3,ç\r\n");
});

Deno.test("csvStream: reads batches only as the body is read", async () => {
  let pulled = 0;
  async function* batches() {
    for (let i = 0; i < 100; i++) {
      pulled++;
      yield [[i]];
    }
  }
  const reader = csvStream(["n"], batches()).getReader();
  await reader.read();
  await reader.read();
  assert.ok(pulled < 5, `pulled ${pulled} batches for two reads`);
  await reader.cancel();
});
