import assert from "node:assert/strict";
import {
  embedderId,
  EmbedInputError,
  embedProblems,
  prepareTexts,
  truncateUtf8,
  utf8Length,
} from "./port.ts";

Deno.test("the index id is name:dimension", () => {
  assert.equal(
    embedderId("openai:text-embedding-3-small", 1536),
    "openai:text-embedding-3-small:1536",
  );
});

Deno.test("empty, blank and invisible-only texts are listed with their positions", () => {
  const texts = ["ok", "", "   \n\t", "\u200b\ufeff", "$AAPL", "\u00a0"];
  assert.deepEqual(embedProblems(texts), [
    { index: 1, reason: "empty text" },
    { index: 2, reason: "only whitespace or invisible characters" },
    { index: 3, reason: "only whitespace or invisible characters" },
    { index: 5, reason: "only whitespace or invisible characters" },
  ]);
  assert.deepEqual(embedProblems(["a", "?", "🚀"]), []);
});

Deno.test("prepareTexts throws one error naming the index and every bad item", () => {
  const error = prepareError("offline:x:8", ["fine", " ", "also fine", ""]);
  assert.equal(error.embedderId, "offline:x:8");
  assert.deepEqual(error.problems.map((problem) => problem.index), [1, 3]);
  assert.equal(
    error.message,
    "offline:x:8: 2 of 4 texts cannot be embedded (#1: only whitespace or invisible characters; " +
      "#3: empty text)",
  );
  const many = prepareError("x:1", Array.from({ length: 8 }, () => ""));
  assert.match(many.message, /8 of 8 texts .*#4: empty text, and 3 more\)$/);
});

function prepareError(id: string, texts: string[]): EmbedInputError {
  try {
    prepareTexts(id, texts);
  } catch (error) {
    assert.ok(error instanceof EmbedInputError);
    return error;
  }
  assert.fail("expected EmbedInputError");
}

Deno.test("lone surrogates become U+FFFD; good pairs stay", () => {
  assert.deepEqual(prepareTexts("x:1", ["a\ud83d b", "\udc00", "🚀 up"]), [
    "a\ufffd b",
    "\ufffd",
    "🚀 up",
  ]);
});

Deno.test("utf8Length agrees with TextEncoder, lone surrogates included", () => {
  const samples = [
    "",
    "abc",
    "é",
    "€",
    "🚀",
    "a\ud83d",
    "\udc00z",
    "日本語 text €5 🚀🚀",
    "x".repeat(9),
  ];
  for (const text of samples) {
    assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text));
  }
});

Deno.test("truncateUtf8 keeps the longest prefix that fits, never half a character", () => {
  assert.equal(truncateUtf8("hello", 10), "hello");
  assert.equal(truncateUtf8("hello world", 5), "hello");
  assert.equal(truncateUtf8("ééé", 5), "éé"); // 2 bytes each
  assert.equal(truncateUtf8("a🚀b", 4), "a"); // the emoji needs 4 bytes, 3 are left
  assert.equal(truncateUtf8("a🚀b", 5), "a🚀");
  assert.equal(truncateUtf8("日本語", 8), "日本");
  const long = "€".repeat(10_000);
  const cut = truncateUtf8(long, 8191);
  assert.equal(utf8Length(cut), 8190);
  assert.ok(cut.isWellFormed());
});
