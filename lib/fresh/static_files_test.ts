import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { contentType, createStaticFiles, etagMatches, safeSegments } from "./static_files.ts";

Deno.test("safeSegments: refuses anything that could leave the folder or is hidden", () => {
  assert.deepEqual(safeSegments("css/site.css"), ["css", "site.css"]);
  assert.deepEqual(safeSegments("caf%C3%A9.txt"), ["café.txt"]);
  for (
    const bad of [
      "..",
      "a/../b",
      "%2e%2e/x",
      "a%2F..%2F..%2Fx",
      "a\\b",
      "a%00b",
      ".env",
      "a//b",
      "",
    ]
  ) {
    assert.equal(safeSegments(bad), null, bad);
  }
  assert.equal(safeSegments("%E0%A4%A"), null);
});

Deno.test("etagMatches: weak comparison, lists and *", () => {
  assert.ok(etagMatches('"abc"', '"abc"'));
  assert.ok(etagMatches('W/"abc"', '"abc"'));
  assert.ok(etagMatches('"x", "abc"', '"abc"'));
  assert.ok(etagMatches("*", '"abc"'));
  assert.ok(!etagMatches('"abcd"', '"abc"'));
  assert.ok(!etagMatches(null, '"abc"'));
});

Deno.test("contentType: by extension", () => {
  assert.equal(contentType("a/site.CSS"), "text/css; charset=utf-8");
  assert.equal(contentType("logo.svg"), "image/svg+xml");
  assert.equal(contentType("data.bin"), "application/octet-stream");
});

Deno.test("createStaticFiles: serves files, 304 on ETag, ignores symlinks leading out", async () => {
  await using dir = await tempDir("craveny-static-");
  const root = join(dir.path, "static");
  await Deno.mkdir(root);
  await Deno.writeTextFile(join(root, "app.js"), "console.log(1)");
  await Deno.writeTextFile(join(dir.path, "secret.txt"), "secret");
  await Deno.symlink(join(dir.path, "secret.txt"), join(root, "link.txt"));
  const files = createStaticFiles(root, { dev: false });
  const req = (headers: HeadersInit = {}) => new Request("http://x/", { headers });

  const response = await files.serve(req(), "app.js");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(response.headers.get("content-length"), "14");
  assert.equal(await response.text(), "console.log(1)");
  const etag = response.headers.get("etag") ?? "";
  const cached = await files.serve(req({ "if-none-match": etag }), "app.js");
  assert.equal(cached.status, 304);
  assert.equal(cached.body, null);

  // A changed file gets a new ETag.
  await Deno.writeTextFile(join(root, "app.js"), "console.log(22)");
  const changed = await files.serve(req({ "if-none-match": etag }), "app.js");
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get("etag"), etag);
  await changed.body?.cancel();

  const escaped = await files.serve(req(), "link.txt");
  assert.equal(escaped.status, 404);
  await escaped.body?.cancel();
  const missing = await createStaticFiles(join(dir.path, "none"), { dev: true }).serve(
    req(),
    "a.js",
  );
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});
