import assert from "node:assert/strict";
import { startAdminTestApp } from "../../tests/support/admin.ts";
import { upsertStocks } from "../stocks/store.ts";
import { OPENAPI_PATH, openApiDocument } from "./openapi.ts";
import { API_VERSION, SECTIONS } from "./router.ts";

interface Schema {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
  properties?: Record<string, Schema>;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const doc = openApiDocument(SECTIONS, API_VERSION) as unknown as Document;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function operations(): [path: string, method: string, operation: Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => [path, method, operation] as const)
  ) as [string, string, Operation][];
}

/** The value a local JSON pointer ("#/components/…") names, or undefined. */
function resolve(ref: string): unknown {
  assert.ok(ref.startsWith("#/"), `only local refs: ${ref}`);
  return ref.slice(2).split("/").reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    doc,
  );
}

function* refs(node: unknown): Generator<string> {
  if (Array.isArray(node)) { for (const item of node) yield* refs(item); }
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") yield value;
      else yield* refs(value);
    }
  }
}

const deref = (schema: Schema): Schema => schema.$ref ? resolve(schema.$ref) as Schema : schema;

Deno.test("openapi: a well-formed OpenAPI 3.1 document", () => {
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.info.title, "Craveny");
  assert.equal(doc.info.version, API_VERSION);
  assert.deepEqual(doc.servers, [{ url: "/api" }]);
  for (const ref of refs(doc)) assert.ok(resolve(ref) !== undefined, `unresolved ${ref}`);

  const tags = new Set(doc.tags.map((tag) => tag.name));
  for (const section of SECTIONS) assert.ok(tags.has(section.path.slice(1)), section.path);
  for (const [path, method, operation] of operations()) {
    const where = `${method} ${path}`;
    assert.ok(METHODS.includes(method), where);
    assert.ok(Object.keys(operation.responses).length > 0, `${where}: no responses`);
    for (const status of Object.keys(operation.responses)) {
      assert.match(status, /^[1-5]\d\d$/, where);
    }
    assert.ok(
      Object.keys(operation.responses).some((status) => Number(status) < 400),
      `${where}: no success response`,
    );
    for (const tag of operation.tags ?? []) assert.ok(tags.has(tag), `${where}: tag ${tag}`);
    // Path parameters and the path's {placeholders} match one to one.
    const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const declared = (operation.parameters ?? []).filter((p) => p.in === "path")
      .map((p) => p.name).sort();
    assert.deepEqual(declared, placeholders, `${where}: path parameters`);
    if (operation.requestBody) {
      for (const status of ["400", "413"]) assert.ok(operation.responses[status], where);
    }
    if ((operation.parameters ?? []).some((p) => p.in === "query" && p.schema.enum)) {
      assert.ok(operation.responses["400"], `${where}: validated query without a 400`);
    }
  }
  for (const section of SECTIONS.filter((section) => section.admin)) {
    for (const [path, method, operation] of operations()) {
      if (!path.startsWith(section.path)) continue;
      assert.ok(operation.responses["401"] && operation.responses["403"], `${method} ${path}`);
      assert.ok(operation.security?.length, `${method} ${path}: security`);
    }
  }
  // The error schema is the one error_handler.ts answers.
  const error = doc.components.schemas.Error.properties!.error;
  assert.deepEqual(Object.keys(error.properties!), ["code", "message", "details"]);
});

Deno.test("openapi: documents exactly the app's /api routes, and is served", async (t) => {
  const app = await startAdminTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };

  await t.step("every registered /api route is documented, every documented one exists", () => {
    const registered = new Set(
      app.app.routes
        // Middleware (use, the /api 404) registers as ALL, the response cache as a GET wildcard.
        .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
        .filter((route) => route.path === "/api" || route.path.startsWith("/api/"))
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(
      operations().map(([path, method]) =>
        `${method.toUpperCase()} /api${path === "/" ? "" : path}`
      ),
    );
    assert.deepEqual([...documented].sort(), [...registered].sort());
  });

  await t.step("GET /api/openapi.json serves it to anyone, cacheably", async () => {
    const response = await app.app.fetch(new Request(`http://localhost/api${OPENAPI_PATH}`));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.match(response.headers.get("cache-control") ?? "", /\bpublic\b/);
    assert.deepEqual(await response.json(), doc);
    const etag = response.headers.get("etag");
    assert.ok(etag);
    const again = await app.app.fetch(
      new Request(`http://localhost/api${OPENAPI_PATH}`, { headers: { "If-None-Match": etag } }),
    );
    assert.equal(again.status, 304);
    await again.body?.cancel();

    const listing = await (await app.app.fetch(new Request("http://localhost/api"))).json();
    assert.equal(listing.openapi, `/api${OPENAPI_PATH}`);
  });
});

/** Query values a parser must refuse, and values on its bounds it must accept. */
function probes(schema: Schema): { refused: string[]; accepted: string[] } {
  if (schema.enum) return { refused: ["no-such-value"], accepted: schema.enum };
  if (schema.type === "integer" && schema.minimum !== undefined && schema.maximum !== undefined) {
    return {
      refused: [String(schema.minimum - 1), String(schema.maximum + 1), "1.5"],
      accepted: [String(schema.minimum), String(schema.maximum)],
    };
  }
  if (schema.type === "number" && schema.minimum !== undefined && schema.maximum !== undefined) {
    return {
      refused: [String(schema.minimum - 0.5), String(schema.maximum + 0.5)],
      accepted: [String(schema.minimum), String(schema.maximum)],
    };
  }
  if (schema.format === "date") return { refused: ["2024-02-30"], accepted: ["2024-01-15"] };
  if (schema.maxLength !== undefined) {
    return {
      refused: ["A".repeat(schema.maxLength + 1)],
      accepted: ["A".repeat(schema.maxLength)],
    };
  }
  return { refused: [], accepted: [] };
}

/** Values for path parameters and required queries, so a probe reaches the query parser. */
const PATH_VALUES: Record<string, string> = { symbol: "AAPL", id: "1" };
const BASE_QUERY: Record<string, Record<string, string>> = {
  "/news/search": { q: "earnings" },
  "/evaluations/compare": { a: "7", b: "8" },
};

Deno.test("openapi: documented query bounds and enums are what the parsers enforce", async () => {
  const app = await startAdminTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  await upsertStocks(app.context.db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  /** The parameter a 400 invalid_query names, or null for any other answer. */
  const refusedParameter = async (path: string, params: Record<string, string>) => {
    const url = `http://localhost/api${
      path.replace(/\{(\w+)\}/g, (_, name) => PATH_VALUES[name])
    }?${new URLSearchParams(params)}`;
    const response = await app.app.fetch(new Request(url, { headers: app.adminHeaders }));
    if (response.status !== 400) {
      await response.body?.cancel(); // a CSV export, for one
      return null;
    }
    const { error } = await response.json();
    return error.code === "invalid_query" ? error.details.parameter : null;
  };

  let probed = 0;
  for (const [path, method, operation] of operations()) {
    const ok = operation.responses["200"]?.content ?? {};
    if (method !== "get" || "text/event-stream" in ok) continue; // a stream never ends
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in !== "query") continue;
      const { refused, accepted } = probes(parameter.schema);
      for (const value of refused) {
        const params = { ...BASE_QUERY[path], [parameter.name]: value };
        assert.equal(await refusedParameter(path, params), parameter.name, `${path} ${value}`);
        probed++;
      }
      for (const value of accepted) {
        const params = { ...BASE_QUERY[path], [parameter.name]: value };
        assert.notEqual(await refusedParameter(path, params), parameter.name, `${path} ${value}`);
        probed++;
      }
    }
  }
  // Every section with validated queries took part (guards against a probe loop that skips all).
  assert.ok(probed > 80, `only ${probed} probes`);
});

Deno.test("openapi: documented request-body fields are the validators' fields", async () => {
  const app = await startAdminTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  /** The problems a 400 lists for `body`. */
  const problems = async (path: string, body: Record<string, unknown>): Promise<string[]> => {
    const response = await app.app.fetch(
      new Request(`http://localhost/api${path}`, {
        method: "POST",
        headers: app.adminHeaders,
        body: JSON.stringify(body),
      }),
    );
    assert.equal(response.status, 400, path);
    return (await response.json()).error.details.problems;
  };

  for (const [path, component] of [["/models", "ModelFields"], ["/ab-tests", "ExperimentFields"]]) {
    const documented = Object.keys(
      deref(doc.paths[path].post.requestBody!.content["application/json"].schema).properties!,
    );
    assert.deepEqual(
      documented,
      Object.keys(doc.components.schemas[component].properties!),
    );
    // Every documented field with a value of the wrong kind, and one undocumented field: the
    // validator names only the undocumented one as unknown, and lists the fields it knows.
    const body = Object.fromEntries(documented.map((field) => [field, { wrong: true }]));
    const unknown = (await problems(path, { ...body, undocumented: 1 }))
      .filter((problem) => problem.includes("unknown field"));
    assert.equal(unknown.length, 1, unknown.join("; "));
    const known = unknown[0].match(/^undocumented: unknown field \(known: (.*)\)$/)?.[1];
    assert.deepEqual(known?.split(", ").sort(), [...documented].sort(), path);
  }

  const login = doc.paths["/auth/login"].post.requestBody!.content["application/json"].schema;
  const loginFields = Object.keys(login.properties!);
  const loginProblems = await problems(
    "/auth/login",
    Object.fromEntries([...loginFields, "undocumented"].map((field) => [field, 1])),
  );
  assert.deepEqual(
    loginProblems.filter((problem) => problem.includes("unknown field")),
    ["undocumented: unknown field"],
  );
  for (const field of loginFields) {
    assert.ok(loginProblems.some((problem) => problem.startsWith(`${field}:`)), field);
  }
});
