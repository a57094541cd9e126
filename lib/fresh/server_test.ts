// The runtime end to end over real HTTP, through the fixture app in tests/fixtures/fresh_app.
import assert from "node:assert/strict";
import { startFixture } from "../../tests/fixtures/fresh_app/serve.ts";
import type { FixtureServer } from "../../tests/fixtures/fresh_app/serve.ts";
import { TRICKY_LABEL } from "../../tests/fixtures/fresh_app/define.ts";

async function get(server: FixtureServer, path: string, init?: RequestInit) {
  const response = await fetch(server.url + path, { redirect: "manual", ...init });
  return { response, html: await response.text() };
}

function payloadOf(html: string): { raw: string; data: Record<string, unknown> } {
  const scripts = [...html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, "exactly one JSON payload script");
  return { raw: scripts[0][1], data: JSON.parse(scripts[0][1]) };
}

Deno.test("fresh runtime over HTTP", async (t) => {
  const server = await startFixture();
  try {
    await t.step("renders a page inside its layout and _app, with one island", async () => {
      const { response, html } = await get(server, "/");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
      assert.ok(html.startsWith('<!DOCTYPE html><html lang="en">'));
      assert.match(html, /<div id="root-layout"><main><h1>Home<\/h1>/);
      assert.match(html, /<craveny-island data-island="Counter" data-index="0"/);
      // One external module script (no inline script: CSP script-src 'self' must hold).
      assert.equal((html.match(/<script type="module"/g) ?? []).length, 1);
      assert.match(
        html,
        /<script type="module" src="\/static\/_islands\/runtime-\w+\.js"><\/script>/,
      );
      assert.match(html, /<link rel="modulepreload" href="\/static\/_islands\/Counter-\w+\.js">/);
      assert.equal(response.headers.get("x-trail"), "root");
    });

    await t.step("escapes island props and sends signals as signals", async () => {
      const { html } = await get(server, "/");
      const { raw, data } = payloadOf(html);
      assert.doesNotMatch(raw, /[<>&\u2028\u2029]/);
      assert.deepEqual(data, {
        modules: { Counter: `/static/_islands/${/Counter-\w+\.js/.exec(html)?.[0]}` },
        props: [{ count: null, label: TRICKY_LABEL }],
        signals: [{ value: 3, at: [[0, "count"]] }],
      });
      // The only "</script>" sequences are the real closing tags.
      assert.equal(html.split("</script>").length - 1, 2);
    });

    await t.step("one signal shared by two islands is sent once", async () => {
      const { data } = payloadOf((await get(server, "/shared")).html);
      assert.deepEqual(data.signals, [{ value: 10, at: [[0, "count"], [1, "count"]] }]);
    });

    await t.step("a page without islands ships no script at all", async () => {
      const { response, html } = await get(server, "/plain");
      assert.equal(response.status, 200);
      assert.doesNotMatch(html, /<script|modulepreload/);
    });

    await t.step("dynamic params, static precedence, catch-all and route groups", async () => {
      assert.match((await get(server, "/items/42")).html, /item 42 via \/items\/:id/);
      assert.match((await get(server, "/items/new")).html, /new item form/);
      assert.match((await get(server, "/items/caf%C3%A9")).html, /item café via/);
      assert.match((await get(server, "/docs/a/b/c")).html, /doc \[a\/b\/c\]/);
      assert.match((await get(server, "/docs")).html, /doc \[\]/);
      assert.match((await get(server, "/grouped")).html, /<p id="grouped">/);
    });

    await t.step("middleware runs outermost first and shares ctx.state", async () => {
      const { response, html } = await get(server, "/admin");
      assert.match(html, /admin for ada after root>admin>admin-user/);
      assert.match(html, /<div id="root-layout"><section id="admin-layout"><p id="admin">/);
      assert.equal(response.headers.get("x-trail"), "root,admin,admin-user");
    });

    await t.step("calling next() twice throws and renders the 500 page", async () => {
      const { response } = await get(server, "/twice");
      assert.equal(response.status, 500);
      assert.ok(server.logs.some((line) => line.includes("called ctx.next() more than once")));
    });

    await t.step("unknown paths, renderNotFound() and NotFound render _404", async () => {
      for (const path of ["/nope", "/items/1/extra", "/missing", "/gone"]) {
        const { response, html } = await get(server, path);
        assert.equal(response.status, 404, path);
        assert.match(html, new RegExp(`<h1 id="not-found">Nothing at ${path}</h1>`));
        assert.match(html, /^<!DOCTYPE html><html lang="en">.*<div id="root-layout">/);
      }
      // Middleware of the folders an unmatched path lies in still runs (auth before 404).
      const adminMiss = await get(server, "/admin/nope");
      assert.equal(adminMiss.response.status, 404);
      assert.equal(adminMiss.response.headers.get("x-trail"), "root,admin,admin-user");
    });

    await t.step("unexpected errors render _500 without details; they are logged", async () => {
      const { response, html } = await get(server, "/boom");
      assert.equal(response.status, 500);
      assert.match(html, /Error page 500: unexpected/);
      assert.doesNotMatch(html, /kaboom|secret|at GET|\.tsx/);
      const line = server.logs.find((line) => line.includes("kaboom"));
      assert.ok(line);
      assert.equal(JSON.parse(line).level, "error");
    });

    await t.step("other HttpErrors render the error page with their status", async () => {
      const { response, html } = await get(server, "/forbidden");
      assert.equal(response.status, 403);
      assert.match(html, /Error page 403: Admins only/);
      const bad = await get(server, "/items/%E0%A4%A");
      assert.equal(bad.response.status, 400);
    });

    await t.step("handler objects: POST renders with status and headers", async () => {
      const body = new URLSearchParams({ name: "ada" });
      const { response, html } = await get(server, "/form", { method: "POST", body });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get("x-saved"), "yes");
      assert.match(html, /saved ada/);
      assert.match((await get(server, "/form")).html, /fill in the form/);
    });

    await t.step("a method nobody handles is 405 with Allow (not Accept)", async () => {
      const form = await get(server, "/form", { method: "DELETE" });
      assert.equal(form.response.status, 405);
      assert.equal(form.response.headers.get("allow"), "GET, HEAD, POST");
      assert.equal(form.response.headers.get("accept"), null);
      const plain = await get(server, "/plain", { method: "PUT" });
      assert.equal(plain.response.status, 405);
      assert.equal(plain.response.headers.get("allow"), "GET, HEAD");
    });

    await t.step("HEAD is GET without the body", async () => {
      const full = await get(server, "/");
      const head = await get(server, "/", { method: "HEAD" });
      assert.equal(head.response.status, 200);
      assert.equal(head.html, "");
      assert.equal(head.response.headers.get("content-type"), "text/html; charset=utf-8");
      assert.equal(
        head.response.headers.get("content-length"),
        full.response.headers.get("content-length"),
      );
      assert.equal(
        Number(full.response.headers.get("content-length")),
        new TextEncoder().encode(full.html).byteLength,
      );
      assert.equal((await get(server, "/nope", { method: "HEAD" })).response.status, 404);
    });

    await t.step("a function handler answers every method", async () => {
      const post = await get(server, "/api/ping", { method: "POST" });
      assert.deepEqual(JSON.parse(post.html), { pong: "POST" });
      const head = await get(server, "/api/ping", { method: "HEAD" });
      assert.equal(head.response.status, 200);
      assert.equal(head.html, "");
    });

    await t.step("bad island props fail the render, naming island and prop", async () => {
      const { response } = await get(server, "/bad_props");
      assert.equal(response.status, 500);
      assert.ok(
        server.logs.some((line) =>
          line.includes(String.raw`Island \"Counter\": prop \"extra.when[0]\" is a Date`)
        ),
      );
    });

    await t.step("trailing slashes redirect to the canonical path, never off-site", async () => {
      const plain = await get(server, "/plain/?a=1");
      assert.equal(plain.response.status, 308);
      assert.equal(plain.response.headers.get("location"), "/plain?a=1");
      const sneaky = await get(server, "//evil.example/");
      assert.equal(sneaky.response.headers.get("location"), "/evil.example");
    });

    await t.step("island bundles are content-hashed and immutable", async () => {
      const { html } = await get(server, "/");
      const files = [...html.matchAll(/\/static\/_islands\/([\w-]+\.js)/g)].map((m) => m[1]);
      assert.ok(files.length >= 2);
      for (const file of new Set(files)) {
        assert.match(file, /^[\w]+-[A-Z0-9]{8}\.js$/);
        const { response, html: js } = await get(server, `/static/_islands/${file}`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
        assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
        assert.ok(js.length > 0);
        const etag = response.headers.get("etag") ?? "";
        const again = await get(server, `/static/_islands/${file}`, {
          headers: { "if-none-match": etag },
        });
        assert.equal(again.response.status, 304);
      }
      assert.equal((await get(server, "/static/_islands/nope-AAAAAAAA.js")).response.status, 404);
    });

    await t.step("gzipped JS of a page stays small", async () => {
      const { html } = await get(server, "/");
      const bytes = await server.fresh.pageScriptBytes(html);
      assert.ok(bytes > 1000 && bytes < 30_000, `${bytes} bytes`);
      assert.equal(await server.fresh.pageScriptBytes((await get(server, "/plain")).html), 0);
    });

    await t.step("static/ files: ETag, 304, short cache, no traversal", async () => {
      const { response, html } = await get(server, "/static/hello.txt");
      assert.equal(response.status, 200);
      assert.equal(html, "hello static\n");
      assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.equal(response.headers.get("cache-control"), "public, max-age=300");
      const etag = response.headers.get("etag") ?? "";
      assert.match(etag, /^"[0-9a-f]+"$/);
      const cached = await get(server, "/static/hello.txt", { headers: { "if-none-match": etag } });
      assert.equal(cached.response.status, 304);
      assert.equal((await get(server, "/static/nested/style.css")).response.status, 200);
      for (
        const path of [
          "/static/%2e%2e/fresh.gen.ts",
          "/static/nested%2F..%2F..%2Fdefine.ts",
          "/static/..%5Cdefine.ts",
          "/static/.hidden",
          "/static/nested/",
          "/static/missing.txt",
        ]
      ) {
        assert.equal((await get(server, path)).response.status, 404, path);
      }
      const post = await get(server, "/static/hello.txt", { method: "POST" });
      assert.equal(post.response.status, 405);
      assert.equal(post.response.headers.get("allow"), "GET, HEAD");
      assert.equal(await server.fresh.serveStatic(new Request(`${server.url}/plain`)), null);
    });
  } finally {
    await server.close();
  }
});

Deno.test("fresh runtime: dev mode builds readable islands and doesn't cache static/", async () => {
  const server = await startFixture({ dev: true });
  try {
    const { response } = await get(server, "/static/hello.txt");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    const { html } = await get(server, "/");
    const file = /\/static\/_islands\/(Counter-\w+\.js)/.exec(html)?.[1];
    const js = (await get(server, `/static/_islands/${file}`)).html;
    assert.match(js, /sourceMappingURL=data:/);
  } finally {
    await server.close();
  }
});
