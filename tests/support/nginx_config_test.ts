import assert from "node:assert/strict";
import {
  child,
  children,
  descendants,
  NginxSyntaxError,
  parseNginxConfig,
  tokenize,
} from "./nginx_config.ts";

Deno.test("directives, nested blocks, comments and line numbers", () => {
  const config = parseNginxConfig(
    [
      "# a comment { with braces; }",
      "worker_processes auto;",
      "http {",
      "  gzip on; # trailing comment",
      "  server {",
      "    listen 443 ssl;",
      "    location ^~ /static/ { proxy_pass http://app; }",
      "  }",
      "}",
    ].join("\n"),
  );
  assert.deepEqual(config.map((d) => d.name), ["worker_processes", "http"]);
  assert.deepEqual(child(config, "worker_processes"), {
    name: "worker_processes",
    args: ["auto"],
    line: 2,
  });
  const http = child(config, "http");
  assert.deepEqual(http.args, []);
  const server = child(http.block!, "server");
  assert.deepEqual(child(server.block!, "listen").args, ["443", "ssl"]);
  const location = child(server.block!, "location");
  assert.deepEqual(location.args, ["^~", "/static/"]);
  assert.equal(location.line, 7);
  assert.deepEqual(location.block, [{ name: "proxy_pass", args: ["http://app"], line: 7 }]);
  assert.deepEqual(descendants(config, "proxy_pass").map((d) => d.args[0]), ["http://app"]);
  assert.deepEqual(children(http.block!, "gzip").map((d) => d.args), [["on"]]);
});

Deno.test("quoted strings keep spaces and special characters; escapes resolve", () => {
  const [directive] = parseNginxConfig(
    `add_header Cache-Control "public, max-age=31536000; immutable" 'single quoted' "a\\"b\\n" always;`,
  );
  assert.deepEqual(directive.args, [
    "Cache-Control",
    "public, max-age=31536000; immutable",
    "single quoted",
    'a"b\n',
    "always",
  ]);
  const [empty] = parseNginxConfig(`map $a $b { "" ""; }`);
  assert.deepEqual(empty.block![0], { name: "", args: [""], line: 1 });
});

Deno.test("${variables} stay inside their word; a word ends at ; { or }", () => {
  assert.deepEqual(
    tokenize("return 301 https://${host}$request_uri;").map((t) =>
      t.kind === "word" ? t.text : t.kind
    ),
    ["return", "301", "https://${host}$request_uri", ";"],
  );
  assert.deepEqual(
    tokenize("events{worker_connections 10;}").map((t) => t.kind === "word" ? t.text : t.kind),
    ["events", "{", "worker_connections", "10", ";", "}"],
  );
});

Deno.test("syntax errors name their line", () => {
  const cases: [string, RegExp][] = [
    ["http {\n  gzip on;\n", /line 1: block is never closed/],
    ["gzip on;\n}", /line 2: unexpected }/],
    ["http {\n  gzip on\n}", /line 3: gzip: unexpected }, missing ;/],
    ["gzip on", /line 1: gzip: missing ; or \{/],
    ['add_header X "open;\n', /line 1: unterminated " string/],
    ["; gzip on;", /line 1: unexpected ; where a directive name belongs/],
  ];
  for (const [source, message] of cases) {
    assert.throws(() => parseNginxConfig(source), (error: unknown) => {
      assert.ok(error instanceof NginxSyntaxError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("child() insists on exactly one", () => {
  const config = parseNginxConfig("listen 80; listen 443;");
  assert.throws(() => child(config, "listen"), /expected one listen directive, found 2/);
  assert.throws(() => child(config, "gzip"), /found 0/);
});
