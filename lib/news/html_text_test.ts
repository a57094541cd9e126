import assert from "node:assert/strict";
import { collapseWhitespace, htmlToText, truncateText } from "./html_text.ts";

Deno.test("strips tags, separates blocks, decodes entities", () => {
  assert.equal(
    htmlToText("<p>Apple&nbsp;Inc. <b>beat</b> estimates.</p><p>Shares rose&#160;3&#x25;.</p>"),
    "Apple Inc. beat estimates. Shares rose 3%.",
  );
  assert.equal(
    htmlToText("AT&amp;T &lt;T&gt; &eacute;t&eacute; &hellip; &#8217;s"),
    "AT&T <T> été … ’s",
  );
  assert.equal(htmlToText("line one<br>line two<br/>three"), "line one line two three");
  assert.equal(htmlToText("<ul><li>one</li><li>two</li></ul>"), "one two");
  assert.equal(htmlToText("P/E < 10 and EPS > 5"), "P/E < 10 and EPS > 5");
});

Deno.test("drops scripts, styles and other non-text content", () => {
  assert.equal(
    htmlToText(
      '<div><style>p{color:red}</style><script>var x = "<p>no</p>";</script>' +
        '<p>Visible <img src="https://t.example/pixel.gif" alt="pixel"> text</p>' +
        "<noscript>enable js</noscript><iframe src=x>frame</iframe></div>",
    ),
    "Visible text",
  );
  assert.equal(
    htmlToText("<html><head><title>T</title><meta name=x></head><body><h1>Hi</h1></body></html>"),
    "Hi",
  );
});

Deno.test("tolerates broken HTML", () => {
  assert.equal(htmlToText("<p>unclosed <b>bold <i>italic"), "unclosed bold italic");
  assert.equal(htmlToText("text</div></p> more"), "text more");
  assert.equal(htmlToText("<p>a <!-- comment --> b</p>"), "a b");
  assert.equal(htmlToText(""), "");
});

Deno.test("collapses whitespace and removes invisible characters", () => {
  assert.equal(collapseWhitespace("  a\n\t b\u00a0\u00a0c\u200bd\u00ad e\ufeff "), "a b cd e");
  assert.equal(htmlToText("<p>\n  Multi\r\n  line\n</p>"), "Multi line");
});

Deno.test("removes WordPress footers and bracketed ellipses", () => {
  assert.equal(
    htmlToText(
      "<p>Stocks rallied on Friday [&#8230;]</p><p>The post <a href='x'>Markets wrap</a> " +
        "appeared first on <a href='y'>Example News</a>.</p>",
    ),
    "Stocks rallied on Friday…",
  );
});

Deno.test("truncates on a word boundary with an ellipsis", () => {
  const text = "Apple reported record services revenue, while iPhone sales in China fell sharply.";
  assert.equal(truncateText(text, 200), text);
  assert.equal(truncateText(text, text.length), text);
  assert.equal(truncateText(text, 40), "Apple reported record services revenue…");
  assert.ok(truncateText(text, 40).length <= 40);
  assert.equal(truncateText(text, 30), "Apple reported record…");
  // No boundary in the last half: a hard cut.
  assert.equal(truncateText("Supercalifragilisticexpialidocious", 10), "Supercali…");
  // Never half an emoji.
  assert.equal(truncateText("ab📈cd", 4), "ab…");
  assert.equal(truncateText("abc", 1), "…");
});
