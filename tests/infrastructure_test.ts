// The production deployment as files: no Docker engine runs here, so this reads
// infrastructure/docker-compose.yml, nginx.conf and the Dockerfile and checks the properties
// docs/operations.md promises (pinned images, healthchecks, nothing but nginx on the host, a
// private data network, TLS, caching and streaming at nginx, every variable documented).
import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadConfig } from "../lib/config.ts";
import { child, children, type Directive, parseNginxConfig } from "./support/nginx_config.ts";

const root = new URL("..", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

const compose = parse(await read("infrastructure/docker-compose.yml")) as Compose;
const nginx = parseNginxConfig(await read("infrastructure/nginx.conf"));
const dockerfile = await read("infrastructure/Dockerfile");

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  restart?: string;
  ports?: unknown[];
  network_mode?: string;
  networks?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  healthcheck?: { test: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: string | number };
}

interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

const DATA_SERVICES = ["postgres", "redis", "etcd", "minio", "milvus"];
const SERVICES = [...DATA_SERVICES, "app", "nginx"];

function service(name: string): Service {
  const found = compose.services[name];
  assert.ok(found, `service ${name} is missing`);
  return found;
}

const VARIABLE = /\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Every string value of the parsed compose file (comments are not values). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/**
 * Compose's interpolation with nothing set: `${NAME:-default}` gives its default, a required
 * `${NAME:?message}` a made-up value that satisfies the app's config (32+ characters).
 */
function interpolate(text: string): string {
  return text.replace(
    VARIABLE,
    (_, name: string, operator = "", word = "") =>
      operator.endsWith("-")
        ? word
        : operator.endsWith("?")
        ? `${name.toLowerCase()}-${"x".repeat(32)}`
        : "",
  );
}

/** Variables documented in an env file: `NAME=` lines, commented out or not. */
async function documented(path: string): Promise<Set<string>> {
  const text = await read(path);
  return new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}

Deno.test("compose: every service is there, restarts on its own and has a healthcheck", () => {
  assert.deepEqual(Object.keys(compose.services).sort(), [...SERVICES].sort());
  for (const name of SERVICES) {
    const { restart, healthcheck } = service(name);
    assert.ok(restart === "unless-stopped" || restart === "always", `${name}: restart ${restart}`);
    assert.ok(healthcheck && !healthcheck.disable, `${name} has no healthcheck`);
    const test = [healthcheck.test].flat();
    assert.ok(test.length > 1 && test[0].startsWith("CMD"), `${name}: healthcheck ${test}`);
  }
  assert.match(service("postgres").healthcheck!.test.toString(), /pg_isready/);
  assert.deepEqual(service("redis").healthcheck!.test, ["CMD", "redis-cli", "ping"]);
  assert.match(service("app").healthcheck!.test.toString(), /127\.0\.0\.1:8000\/health\b/);
});

Deno.test("compose: every image is pinned to an exact version", () => {
  // PostgreSQL versions have two parts since 10 (18.6 is exact); the others have three.
  const exact = (parts: number) =>
    new RegExp(
      `^v?\\d+(\\.\\d+){${parts - 1}}(-[\\w.]+)?$|^RELEASE\\.\\d{4}-\\d{2}-\\d{2}T[\\d-]{8}Z$`,
    );
  for (const [name, { image, build }] of Object.entries(compose.services)) {
    if (!image) {
      assert.ok(build, `${name} has neither image nor build`);
      continue;
    }
    // The tag follows the last colon after the last slash (a registry may have a port).
    const tag = image.slice(image.lastIndexOf("/") + 1).split(":")[1];
    assert.ok(tag, `${name}: ${image} has no tag`);
    assert.doesNotMatch(tag, /latest/, `${name}: ${image}`);
    const parts = image.startsWith("postgres:") ? 2 : 3;
    assert.match(tag, exact(parts), `${name}: ${image} is not an exact version`);
  }
  assert.match(service("postgres").image!, /^postgres:18\./);
  assert.match(service("redis").image!, /^redis:7\./);
});

Deno.test("compose: only nginx is published; the data services sit on an internal network", () => {
  for (const [name, { ports, network_mode }] of Object.entries(compose.services)) {
    assert.notEqual(network_mode, "host", `${name} uses the host network`);
    if (name !== "nginx") assert.equal(ports, undefined, `${name} publishes ${ports}`);
  }
  const published = service("nginx").ports!.map((port) => String(port).split(":").at(-1));
  assert.deepEqual(published.sort(), ["443", "80"]);
  assert.equal(compose.networks.data?.internal, true);
  assert.notEqual(compose.networks.edge?.internal, true, "the app needs a way out");
  for (const name of DATA_SERVICES) assert.deepEqual(service(name).networks, ["data"], name);
  assert.deepEqual(service("app").networks!.sort(), ["data", "edge"]);
  assert.deepEqual(service("nginx").networks, ["edge"]);
});

Deno.test("compose: state lives in named volumes; host files are mounted read-only", () => {
  const declared = new Set(Object.keys(compose.volumes));
  const stateful = ["postgres", "etcd", "minio", "milvus", "app"];
  for (const [name, { volumes = [] }] of Object.entries(compose.services)) {
    if (stateful.includes(name)) assert.ok(volumes.length > 0, `${name} keeps no volume`);
    for (const mount of volumes) {
      const [source, , mode] = interpolate(mount).split(":");
      const named = /^[\w-]+$/.test(source);
      if (named) assert.ok(declared.has(source), `${name}: volume ${source} is not declared`);
      else assert.equal(mode, "ro", `${name}: host path ${source} is mounted writable`);
      if (stateful.includes(name)) assert.ok(named, `${name}: ${mount} is not a named volume`);
    }
  }
  assert.ok(
    service("postgres").volumes!.some((mount) => mount.endsWith(":/var/lib/postgresql")),
    "PostgreSQL 18 images keep their data under /var/lib/postgresql",
  );
});

Deno.test("compose: the app is built here, talks to the services and can be scaled", () => {
  const app = service("app");
  assert.deepEqual(app.build, { context: "..", dockerfile: "infrastructure/Dockerfile" });
  assert.deepEqual(app.command, ["deno", "task", "start"]);
  assert.equal(app.env_file, ".env");
  const env = app.environment!;
  assert.match(
    env.DATABASE_URL,
    /^postgres:\/\/craveny:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\//,
  );
  assert.equal(env.REDIS_URL, "redis://redis:6379");
  assert.equal(env.MILVUS_ADDRESS, "milvus:19530");
  assert.equal(env.TRUST_PROXY, "true");
  assert.match(env.JOBS_ENABLED, /^\$\{JOBS_ENABLED:-true\}$/);
  assert.match(env.AUTH_SECRET, /^\$\{AUTH_SECRET:\?/, "replicas must share one AUTH_SECRET");
  assert.equal(app.deploy?.replicas, "${APP_REPLICAS:-1}");
  // What the app is given, interpolated, passes the app's own validation.
  const config = loadConfig(
    Object.fromEntries(Object.entries(env).map(([name, value]) => [name, interpolate(value)])),
  );
  assert.equal(config.port, 8000);
  assert.equal(config.trustProxy, true);
  for (const dependency of ["postgres", "redis", "milvus"]) {
    assert.equal(app.depends_on?.[dependency]?.condition, "service_healthy", dependency);
  }
});

Deno.test("compose: every variable it uses is documented, and so is the app's environment", async () => {
  const production = await documented("infrastructure/.env.production.example");
  const used = strings(compose).flatMap((text) => [...text.matchAll(VARIABLE)].map((m) => m[1]));
  assert.ok(used.length > 0);
  for (const name of new Set(used)) {
    assert.ok(production.has(name), `${name} is not in infrastructure/.env.production.example`);
  }
  // Every variable lib/config.ts reads, including those compose sets for the app.
  const appVariables = new Set(await documented(".env.example"));
  const configSource = await read("lib/config.ts");
  const configured = [...configSource.matchAll(/\(env, "([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]);
  assert.ok(configured.length > 20);
  for (const name of [...configured, ...Object.keys(service("app").environment!)]) {
    assert.ok(appVariables.has(name), `${name} is not documented in .env.example`);
  }
});

/** nginx durations ("90", "60s", "1h", "1m30s") in seconds. */
function seconds(text: string): number {
  const units: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };
  const parts = [...text.matchAll(/(\d+)(ms|[smhd]?)/g)];
  assert.equal(parts.map((m) => m[0]).join(""), text, `not an nginx time: ${text}`);
  return parts.reduce(
    (sum, [, n, unit]) => sum + (unit === "ms" ? Number(n) / 1000 : Number(n) * units[unit]),
    0,
  );
}

/** nginx sizes ("1048576", "1k", "1m") in bytes. */
function bytes(text: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(text);
  assert.ok(match, `not an nginx size: ${text}`);
  return Number(match[1]) * 1024 ** " kmg".indexOf(match[2].toLowerCase() || " ");
}

const http = child(nginx, "http").block!;
const servers = children(http, "server").map((server) => server.block!);
const listens = (server: Directive[]) => children(server, "listen").map((d) => d.args.join(" "));
const plain = servers.find((server) => listens(server).some((l) => /^80\b/.test(l)))!;
const tls = servers.find((server) => listens(server).some((l) => /^443 ssl\b/.test(l)))!;

function location(server: Directive[], ...args: string[]): Directive[] {
  const found = children(server, "location").find((d) => d.args.join(" ") === args.join(" "));
  assert.ok(found, `no location ${args.join(" ")}`);
  return found.block!;
}

/** A directive's arguments where it applies: the location's own, else the server's. */
function effective(server: Directive[], block: Directive[], name: string): string[][] {
  const own = children(block, name);
  return (own.length ? own : children(server, name)).map((d) => d.args);
}

Deno.test("nginx: plain HTTP redirects to HTTPS, TLS is served with the mounted certificate", () => {
  assert.ok(plain && tls, "an HTTP and an HTTPS server");
  assert.deepEqual(child(location(plain, "/"), "return").args, [
    "301",
    "https://$host$request_uri",
  ]);
  // The ACME challenge is the one thing answered over plain HTTP.
  assert.equal(
    child(location(plain, "^~", "/.well-known/acme-challenge/"), "root").args[0],
    "/var/www/acme",
  );
  assert.match(child(tls, "ssl_certificate").args[0], /^\/etc\/nginx\/certs\//);
  assert.match(child(tls, "ssl_certificate_key").args[0], /^\/etc\/nginx\/certs\//);
  assert.ok(service("nginx").volumes!.some((mount) => mount.includes(":/etc/nginx/certs:ro")));
  assert.ok(service("nginx").volumes!.includes("./nginx.conf:/etc/nginx/nginx.conf:ro"));
  for (const protocol of child(tls, "ssl_protocols").args) {
    assert.ok(["TLSv1.2", "TLSv1.3"].includes(protocol), `ssl_protocols allows ${protocol}`);
  }
});

Deno.test("nginx: gzip for HTML, JS, CSS and JSON; the body limit is the app's", () => {
  assert.deepEqual(child(tls, "gzip").args, ["on"]);
  const types = child(tls, "gzip_types").args;
  for (
    const type of ["text/javascript", "application/javascript", "text/css", "application/json"]
  ) {
    assert.ok(types.includes(type), `gzip_types lacks ${type}`);
  }
  // text/html needs no gzip_types entry: nginx always compresses it once gzip is on.
  assert.equal(bytes(child(tls, "client_max_body_size").args[0]), loadConfig({}).bodyLimitBytes);
});

Deno.test("nginx: island bundles cached for a year as immutable; event streams unbuffered", () => {
  const islands = location(tls, "^~", "/static/_islands/");
  const cacheControl = children(islands, "add_header").find((d) => d.args[0] === "Cache-Control");
  assert.ok(cacheControl, "no Cache-Control on /static/_islands/");
  assert.match(cacheControl.args[1], /\bimmutable\b/);
  assert.ok(Number(/max-age=(\d+)/.exec(cacheControl.args[1])?.[1]) >= 31_536_000);
  assert.ok(child(islands, "proxy_pass"));

  const stream = location(tls, "^~", "/api/stream/");
  assert.deepEqual(child(stream, "proxy_buffering").args, ["off"]);
  assert.ok(seconds(child(stream, "proxy_read_timeout").args[0]) >= 3600);
  assert.ok(child(location(tls, "=", "/telegram/webhook"), "proxy_pass"));
});

Deno.test("nginx: every proxied location forwards the client, the scheme and upgrades", () => {
  const upstream = child(http, "upstream");
  assert.equal(upstream.args[0], "craveny");
  // The app's port in compose, re-resolved so that every replica is found.
  assert.deepEqual(child(upstream.block!, "server").args, ["app:8000", "resolve"]);
  assert.ok(child(http, "resolver").args.includes("127.0.0.11"));
  const proxied = children(tls, "location").filter((d) => children(d.block!, "proxy_pass").length);
  assert.ok(proxied.length >= 4);
  for (const { args, block } of proxied) {
    assert.deepEqual(child(block!, "proxy_pass").args, ["http://craveny"], args.join(" "));
    const headers = new Map(effective(tls, block!, "proxy_set_header").map(([k, v]) => [k, v]));
    const where = `location ${args.join(" ")}`;
    assert.equal(headers.get("X-Forwarded-Proto"), "$scheme", where);
    assert.equal(headers.get("X-Forwarded-For"), "$proxy_add_x_forwarded_for", where);
    assert.equal(headers.get("Host"), "$host", where);
    assert.equal(headers.get("Upgrade"), "$http_upgrade", where);
    assert.equal(headers.get("Connection"), "$connection_upgrade", where);
    assert.deepEqual(effective(tls, block!, "proxy_http_version"), [["1.1"]], where);
  }
});

Deno.test("Dockerfile: the pinned Deno of CI and README, frozen lock, non-root, healthcheck", async () => {
  const ciVersion = /^DENO_VERSION=(\S+)$/m.exec(await read(".ci/run"))?.[1];
  assert.ok(ciVersion, "DENO_VERSION in .ci/run");
  assert.match(await read("README.md"), new RegExp(`deno@${ciVersion.replaceAll(".", "\\.")}\\b`));
  const from = /^FROM (\S+)/m.exec(dockerfile)?.[1];
  assert.equal(from, `denoland/deno:debian-${ciVersion}`);
  assert.match(dockerfile, /^RUN deno install --frozen$/m);
  const user = [...dockerfile.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1];
  assert.ok(user && user !== "root" && user !== "0", `runs as ${user}`);
  assert.match(dockerfile, /^HEALTHCHECK .*\n?.*\/health/m);
  assert.match(dockerfile, /^CMD \["deno", "task", "start"\]$/m);
  const ignored = (await read(".dockerignore")).split("\n");
  for (const path of [".env", "data/", "node_modules/", ".git/"]) {
    assert.ok(ignored.includes(path), `.dockerignore lacks ${path}`);
  }
});
