// In-process cost of one request through the whole app (middleware, SSR, database), against a
// bare `(Request) => Response` handler measured in the same run: read the ratios, not the times.
//   deno task bench            (embedded database; set DATABASE_URL to measure Postgres)
import manifest from "../fresh.gen.ts";
import { createApp } from "../lib/app.ts";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig } from "../lib/config.ts";
import { createFreshHandler } from "../lib/fresh/server.ts";
import { createLogger } from "../lib/log.ts";
import { Registry } from "../lib/metrics.ts";

const dataDir = await Deno.makeTempDir({ prefix: "craveny-bench-" });
const databaseUrl = Deno.env.get("DATABASE_URL") ?? "";
const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" });
const quiet = createLogger("error", () => {});
const app = await openAppContext(config, quiet);
const pages = await createFreshHandler(manifest, { log: quiet });
const hono = createApp(app, pages, new Registry());

const dashboardHtml = await (await hono.fetch(new Request("http://bench/"))).text();
const islandScript = /src="(\/static\/_islands\/[^"]+\.js)"/.exec(dashboardHtml)?.[1];
if (!islandScript) throw new Error("the dashboard loads no island script: nothing to measure");

const hello = (_request: Request) => new Response("hello");

async function request(handler: (request: Request) => Response | Promise<Response>, path: string) {
  const response = await handler(new Request(`http://bench${path}`));
  await response.arrayBuffer();
}

Deno.bench("bare hello handler", { group: "request", baseline: true }, async () => {
  await request(hello, "/");
});
Deno.bench("GET /health (database and cache checks)", { group: "request" }, async () => {
  await request(hono.fetch, "/health");
});
Deno.bench("GET / dashboard (SSR + database counts)", { group: "request" }, async () => {
  await request(hono.fetch, "/");
});
Deno.bench("GET island bundle (immutable static)", { group: "request" }, async () => {
  await request(hono.fetch, islandScript);
});
Deno.bench("GET /api/nope (JSON 404)", { group: "request" }, async () => {
  await request(hono.fetch, "/api/nope");
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(dataDir, { recursive: true });
});
