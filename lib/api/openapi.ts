// The OpenAPI 3.1 document of /api (DESIGN §8), served at /api/openapi.json. Paths are listed per
// mounted section (router.ts SECTIONS), so an admin section's operations get its security and its
// 401/403 in one place; enums and limits come from the modules that enforce them where those
// export them. openapi_test.ts holds the document to the app: every registered /api route is
// documented and every documented one exists, and documented bounds and enums are probed against
// the real parameter parsers.
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../auth/cookies.ts";
import { CSRF_HEADER } from "../auth/csrf.ts";
import { ROLES } from "../auth/user.ts";
import { POPULATIONS } from "../evaluate/query.ts";
import { ASSIGN_BY, EXPERIMENT_STATUSES } from "../experiments/experiment.ts";
import { JOB_NAMES } from "../jobs/job.ts";
import { PROVIDERS } from "../models/model.ts";
import { MAX_TEMPLATE_CHARS } from "../predict/prompt.ts";
import { DIRECTIONS } from "../predict/types.ts";
import { CONTAMINATED_FILTERS } from "../predictions/query.ts";
import { MAX_SIMILAR_K } from "../similar/similar_news.ts";
import { RANK_METRICS } from "./evaluations_metrics.ts";
import { MODES, WINDOWS } from "./evaluations_params.ts";
import { MAX_QUERY_LENGTH } from "./news.ts";
import type { ApiSection } from "./router.ts";
import { MAX_BARS } from "./stocks.ts";

/** A JSON value of the document (schemas, parameters, responses are all plain data). */
type Json = Record<string, unknown>;
type Operation = Json & { responses: Record<string, Json> };
/** Operations by method ("get", "post"…), by path relative to the section's mount path. */
type SectionPaths = Record<string, Record<string, Operation>>;

export const OPENAPI_PATH = "/openapi.json";

const ERROR_RESPONSES = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  429: "TooManyRequests",
  503: "ServiceUnavailable",
} as const;
type ErrorStatus = keyof typeof ERROR_RESPONSES;

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errors(...statuses: ErrorStatus[]): Record<string, Json> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { $ref: `#/components/responses/${ERROR_RESPONSES[status]}` },
    ]),
  );
}

function json(description: string, schema: Json): Json {
  return { description, content: { "application/json": { schema } } };
}

function object(properties: Record<string, Json>, required = Object.keys(properties)): Json {
  return { type: "object", properties, required };
}

const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: "null" }] });
const string: Json = { type: "string" };
const integer: Json = { type: "integer" };
const number: Json = { type: "number" };
const boolean: Json = { type: "boolean" };
const dateTime: Json = { type: "string", format: "date-time" };
const date: Json = { type: "string", format: "date" };
const arrayOf = (items: Json): Json => ({ type: "array", items });
/** A nested object whose shape is documented by its description rather than field by field. */
const loose = (description: string): Json => ({
  type: "object",
  description,
  additionalProperties: true,
});
const enumOf = (values: readonly string[], fallback?: string): Json => ({
  type: "string",
  enum: [...values],
  ...(fallback === undefined ? {} : { default: fallback }),
});
/** QueryParams.integer's bounds (lib/http/query.ts); `fallback` is the default when absent. */
const intRange = (min: number, max: number, fallback?: number): Json => ({
  type: "integer",
  minimum: min,
  maximum: max,
  ...(fallback === undefined ? {} : { default: fallback }),
});

function query(name: string, schema: Json, description: string, required = false): Json {
  return { name, in: "query", required, description, schema };
}

function pathParam(name: string, schema: Json, description: string): Json {
  return { name, in: "path", required: true, description, schema };
}

function jsonBody(schema: Json, required = true): Json {
  return { required, content: { "application/json": { schema } } };
}

// Parameters several operations share.
const dateFrom = query("from", date, "First day, inclusive (YYYY-MM-DD)");
const dateTo = query("to", date, "Last day, inclusive (YYYY-MM-DD); not before `from`");
const symbolFilter = query(
  "symbol",
  { type: "string", maxLength: 24 },
  "A ticker symbol, any case (aapl); a leading $ is also accepted ($AAPL)",
);
const cursor = query("cursor", string, "`nextCursor` of the previous page");
const evaluationView = [
  query("mode", enumOf(MODES, "live"), "Live predictions or historical replays"),
  query("window", enumOf(WINDOWS, "all"), "Days of exits up to each model's latest one"),
  query(
    "population",
    enumOf(POPULATIONS, "clean"),
    "Predictions after the model's knowledge cutoff (clean) or before it",
  ),
];
const recordId = (what: string) => pathParam("id", { type: "integer", minimum: 1 }, `${what} id`);

const schemas: Record<string, Json> = {
  Error: object({
    error: object({
      code: { type: "string", description: "Machine-readable, e.g. invalid_query, not_found" },
      message: string,
      details: {
        description: "invalid_query: {parameter, expected, got}; body validation: {problems}",
      },
    }, ["code", "message"]),
  }),
  User: object({
    id: integer,
    email: { type: "string", format: "email" },
    role: enumOf(ROLES),
    displayName: nullable(string),
  }),
  Session: object({
    accessToken: { type: "string", description: "HS256 JWT; send as `Authorization: Bearer`" },
    tokenType: { type: "string", const: "Bearer" },
    expiresIn: { type: "integer", description: "Seconds the access token is valid" },
    user: schemaRef("User"),
    csrfToken: {
      type: "string",
      description: `Send as ${CSRF_HEADER} on cookie-authenticated writes`,
    },
    refreshToken: {
      type: "string",
      description: "Only when asked for (includeRefreshToken) or refreshed from the body",
    },
  }, ["accessToken", "tokenType", "expiresIn", "user", "csrfToken"]),
  Stock: object({
    symbol: string,
    name: string,
    exchange: string,
    assetClass: enumOf(["equity", "crypto"]),
    currency: string,
    aliases: arrayOf(string),
    active: boolean,
  }),
  PriceBar: object({
    date,
    open: number,
    high: number,
    low: number,
    close: number,
    adjClose: nullable(number),
    volume: nullable(number),
    closedAt: dateTime,
    source: string,
  }),
  News: object({
    id: integer,
    title: string,
    summary: nullable(string),
    url: { type: "string", format: "uri" },
    source: string,
    publishedAt: dateTime,
    publishedAtEstimated: boolean,
    symbols: arrayOf(string),
  }),
  SimilarNews: object({
    id: integer,
    title: string,
    url: { type: "string", format: "uri" },
    source: string,
    publishedAt: dateTime,
    score: number,
    symbol: nullable(string),
    return1d: nullable(number),
    return5d: nullable(number),
  }),
  JobRun: object({
    id: integer,
    job: enumOf(JOB_NAMES),
    status: enumOf(["running", "succeeded", "partial", "failed", "skipped", "interrupted"]),
    startedAt: dateTime,
    finishedAt: nullable(dateTime),
    counts: { type: "object", additionalProperties: number },
    error: nullable(string),
  }),
  Prediction: object({
    id: integer,
    model: object({ name: string, provider: enumOf(PROVIDERS) }),
    symbol: string,
    asOf: dateTime,
    horizon: { type: "integer", description: "Trading days" },
    direction: enumOf(DIRECTIONS),
    confidence: { type: "number", minimum: 0, maximum: 1 },
    reasoning: nullable(string),
    citedNews: arrayOf(object({ id: integer, title: string, url: string })),
    abTest: nullable(string),
    variant: nullable(string),
    mode: enumOf(MODES),
    contaminated: boolean,
    cost: nullable(number),
    inputTokens: nullable(integer),
    outputTokens: nullable(integer),
    outcome: nullable(object({
      realizedReturn: number,
      result: enumOf(["win", "loss", "flat"]),
    })),
    createdAt: dateTime,
  }),
  EvaluatedModel: object({
    id: integer,
    name: string,
    provider: enumOf(PROVIDERS),
    active: boolean,
  }),
  Metrics: loose(
    "n, wins, losses, flats, winRate {value, low, high}, pValue and each ranking metric " +
      `(${RANK_METRICS.join(", ")}); null where there is no data`,
  ),
  PromptVersion: object({
    id: integer,
    version: integer,
    template: string,
    hash: { type: "string", description: "sha-256 hex of the template" },
    createdAt: dateTime,
  }),
  Model: object({
    id: integer,
    name: string,
    provider: enumOf(PROVIDERS),
    modelId: string,
    description: nullable(string),
    params: { type: "object", additionalProperties: number },
    knowledgeCutoff: nullable(date),
    active: boolean,
    inputTokenCost: number,
    outputTokenCost: number,
    dailyCapUsd: nullable(number),
    prompt: nullable(schemaRef("PromptVersion")),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  ModelFields: {
    type: "object",
    description: "POST needs name, provider, modelId (and promptTemplate for an LLM); PATCH " +
      "merges over the current model, and a changed promptTemplate becomes a new version",
    additionalProperties: false,
    properties: {
      name: {
        type: "string",
        maxLength: 80,
        description: "Letters, digits, spaces or . _ : / -, starting with a letter or digit",
      },
      provider: enumOf(PROVIDERS),
      modelId: {
        type: "string",
        maxLength: 200,
        description: "The provider's model id (gpt-4o), or a built-in model's key",
      },
      description: nullable({ type: "string", maxLength: 1_000 }),
      params: {
        type: "object",
        additionalProperties: number,
        description: "LLMs: temperature (0–2), maxTokens (16–16384); built-ins: their own",
      },
      knowledgeCutoff: nullable(date),
      active: { type: "boolean", default: true },
      inputTokenCost: { type: "number", minimum: 0, default: 0 },
      outputTokenCost: { type: "number", minimum: 0, default: 0 },
      dailyCapUsd: nullable({ type: "number", minimum: 0 }),
      promptTemplate: nullable({ type: "string", maxLength: MAX_TEMPLATE_CHARS }),
    },
  },
  Variant: object({
    name: { type: "string", minLength: 1 },
    modelId: { type: "integer", minimum: 1 },
    weight: { type: "number", exclusiveMinimum: 0 },
  }),
  Experiment: object({
    id: integer,
    name: string,
    description: nullable(string),
    variants: arrayOf(schemaRef("Variant")),
    status: enumOf(EXPERIMENT_STATUSES),
    assignBy: enumOf(ASSIGN_BY),
    startsAt: nullable(dateTime),
    endsAt: nullable(dateTime),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  ExperimentFields: {
    type: "object",
    description: "POST needs name and variants; PATCH (drafts only) merges over the current ones",
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, maxLength: 100 },
      description: nullable({ type: "string", maxLength: 1_000 }),
      variants: {
        type: "array",
        minItems: 2,
        items: schemaRef("Variant"),
        description: "Distinct names; each modelId an existing model",
      },
      assignBy: enumOf(ASSIGN_BY, "stock"),
      startsAt: nullable({ type: "string", description: "ISO date or date-time with a zone" }),
      endsAt: nullable({ type: "string", description: "After startsAt" }),
    },
  },
};

const errorContent = { "application/json": { schema: schemaRef("Error") } };
const responses: Record<string, Json> = {
  BadRequest: {
    description: "A parameter or body is invalid (code invalid_query, invalid_json, bad_request)",
    content: errorContent,
  },
  Unauthorized: {
    description: "No valid access token (or refresh token, or credentials)",
    headers: { "WWW-Authenticate": { schema: string } },
    content: errorContent,
  },
  Forbidden: {
    description: `The role is not enough, or a cookie-authenticated write lacks ${CSRF_HEADER}`,
    content: errorContent,
  },
  NotFound: { description: "No such resource", content: errorContent },
  Conflict: { description: "The resource's state does not allow this", content: errorContent },
  PayloadTooLarge: {
    description: "The body is over BODY_LIMIT_BYTES",
    content: errorContent,
  },
  TooManyRequests: {
    description: "Too many attempts; details.retryAfterSeconds",
    headers: { "Retry-After": { schema: integer } },
    content: errorContent,
  },
  ServiceUnavailable: { description: "A dependency is down; retry later", content: errorContent },
};

const refreshTokenBody = jsonBody(object({ refreshToken: string }), false);

/** Each section's operations, by its mount path (router.ts SECTIONS). */
const SECTION_PATHS: Record<string, SectionPaths> = {
  "/auth": {
    "/login": {
      post: {
        summary: "Sign in: an access token, the session cookies and a CSRF token",
        requestBody: jsonBody({
          type: "object",
          additionalProperties: false,
          properties: {
            email: string,
            password: string,
            includeRefreshToken: { type: "boolean", default: false },
          },
          required: ["email", "password"],
        }),
        responses: {
          200: json("Signed in", schemaRef("Session")),
          ...errors(400, 401, 413, 429),
        },
      },
    },
    "/refresh": {
      post: {
        summary: "A new token pair, from a refresh token in the body or the refresh cookie",
        requestBody: refreshTokenBody,
        responses: {
          200: json("Refreshed", schemaRef("Session")),
          ...errors(400, 401, 413),
        },
      },
      get: {
        summary: "Browsers: refresh from the cookie, then go back to `next`",
        parameters: [query("next", string, "A path on this site to return to (else /)")],
        responses: { 303: { description: "Back to `next`, with new or cleared session cookies" } },
      },
    },
    "/logout": {
      post: {
        summary: "End the session of the refresh token in the body, the access token or the cookie",
        security: [{}, { bearerAuth: [] }, { cookieAuth: [], csrfToken: [] }],
        requestBody: refreshTokenBody,
        responses: { 204: { description: "Signed out" }, ...errors(400, 403, 413) },
      },
    },
    "/me": {
      get: {
        summary: "The signed-in user",
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
        responses: {
          200: json("The user", object({ user: schemaRef("User"), csrfToken: string })),
          ...errors(401),
        },
      },
    },
  },
  "/stocks": {
    "/": {
      get: {
        summary: "The stock universe",
        parameters: [
          query("status", enumOf(["active", "all"], "active"), "Active stocks only, or all"),
          query("q", { type: "string", maxLength: 50 }, "Matches symbol, name or an alias"),
        ],
        responses: {
          200: json("Stocks", object({ stocks: arrayOf(schemaRef("Stock")) })),
          ...errors(400),
        },
      },
    },
    "/{symbol}": {
      get: {
        summary: "One stock",
        parameters: [pathParam("symbol", string, "Ticker symbol, any case")],
        responses: {
          200: json("The stock", object({ stock: schemaRef("Stock") })),
          ...errors(404),
        },
      },
    },
    "/{symbol}/prices": {
      get: {
        summary: `Daily bars, oldest first, at most ${MAX_BARS}`,
        parameters: [pathParam("symbol", string, "Ticker symbol, any case"), dateFrom, dateTo],
        responses: {
          200: json(
            "Bars; truncated when the cap was reached",
            object({
              symbol: string,
              currency: string,
              bars: arrayOf(schemaRef("PriceBar")),
              truncated: boolean,
            }),
          ),
          ...errors(400, 404),
        },
      },
    },
  },
  "/news": {
    "/": {
      get: {
        summary: "Matched news, newest first, keyset-paginated",
        parameters: [
          symbolFilter,
          query("q", { type: "string", maxLength: 200 }, "Keyword search in title and summary"),
          dateFrom,
          dateTo,
          query("limit", intRange(1, 100, 20), "Items per page"),
          cursor,
        ],
        responses: {
          200: json(
            "A page of news",
            object({ news: arrayOf(schemaRef("News")), nextCursor: nullable(string) }),
          ),
          ...errors(400),
        },
      },
    },
    "/search": {
      get: {
        summary: "News most like a text or a stored item, as of an instant (give q or like)",
        parameters: [
          query("q", { type: "string", maxLength: MAX_QUERY_LENGTH }, "The text to match"),
          query("like", intRange(1, Number.MAX_SAFE_INTEGER), "A news id to match"),
          symbolFilter,
          query(
            "before",
            { type: "string", examples: ["2024-03-20", "2024-03-20T12:00:00Z"] },
            "Only news published before this date or date-time with a zone (default: now)",
          ),
          query("k", intRange(1, MAX_SIMILAR_K, 10), "How many results"),
        ],
        responses: {
          200: json(
            "The nearest news with the price moves after each",
            object({
              before: dateTime,
              embedder: string,
              results: arrayOf(schemaRef("SimilarNews")),
            }),
          ),
          ...errors(400, 503),
        },
      },
    },
  },
  "/jobs": {
    "/": {
      get: {
        summary: "Recent job runs, newest first",
        parameters: [
          query("job", enumOf([...JOB_NAMES, "all"], "all"), "One job's runs, or all"),
          query("limit", intRange(1, 200, 50), "How many runs"),
        ],
        responses: {
          200: json("Runs", object({ runs: arrayOf(schemaRef("JobRun")) })),
          ...errors(400),
        },
      },
    },
    "/{name}/run": {
      post: {
        summary: "Start a job now",
        parameters: [pathParam("name", enumOf(JOB_NAMES), "The job")],
        responses: {
          202: json(
            "Started",
            object({ job: enumOf(JOB_NAMES), status: { type: "string", const: "started" } }),
          ),
          ...errors(404, 409, 503),
        },
      },
    },
  },
  "/predictions": {
    "/": {
      get: {
        summary: "Predictions, newest first, filtered and keyset-paginated; or all as CSV",
        parameters: [
          symbolFilter,
          query("model", { type: "string", maxLength: 100 }, "Model name"),
          query("direction", enumOf(DIRECTIONS), "Predicted direction"),
          query(
            "minConfidence",
            { type: "number", minimum: 0, maximum: 1 },
            "Confidence at least this",
          ),
          query("from", date, "First as-of day (UTC), inclusive"),
          query("to", date, "Last as-of day (UTC), inclusive; not before `from`"),
          query("mode", enumOf(MODES), "Live or replay predictions"),
          query(
            "contaminated",
            enumOf(CONTAMINATED_FILTERS, "include"),
            "Predictions before the model's knowledge cutoff: include, exclude or only them",
          ),
          query("limit", intRange(1, 500, 50), "Items per JSON page (validated but unused by CSV)"),
          cursor,
          query("format", enumOf(["json", "csv"], "json"), "csv downloads every match"),
        ],
        responses: {
          200: {
            description: "A JSON page, or (format=csv) every match from `cursor` on, capped; " +
              "X-Export-Truncated says whether the cap cut it",
            headers: { "X-Export-Truncated": { schema: enumOf(["true", "false"]) } },
            content: {
              "application/json": {
                schema: object({
                  predictions: arrayOf(schemaRef("Prediction")),
                  nextCursor: nullable(string),
                }),
              },
              "text/csv": { schema: { type: "string" } },
            },
          },
          ...errors(400),
        },
      },
    },
  },
  "/evaluations": {
    "/": {
      get: {
        summary: "The leaderboard",
        parameters: [
          ...evaluationView,
          query("rankBy", enumOf(RANK_METRICS, "winRate"), "The metric to rank by"),
        ],
        responses: {
          200: json(
            "Standings, best first; `lead` says whether #1 is significantly ahead of #2",
            object({
              mode: enumOf(MODES),
              window: enumOf(WINDOWS),
              population: enumOf(POPULATIONS),
              rankBy: enumOf(RANK_METRICS),
              models: arrayOf({
                allOf: [
                  schemaRef("Metrics"),
                  object({
                    rank: integer,
                    model: schemaRef("EvaluatedModel"),
                    periodStart: nullable(date),
                    periodEnd: nullable(date),
                    computedAt: nullable(dateTime),
                    significantlyAhead: nullable(boolean),
                  }),
                ],
              }),
              lead: nullable(loose("leader, runnerUp, test, significant, comparison, favoured")),
            }),
          ),
          ...errors(400),
        },
      },
    },
    "/compare": {
      get: {
        summary: "Two models on the predictions both made, with paired tests",
        parameters: [
          query("a", intRange(1, Number.MAX_SAFE_INTEGER), "A model id", true),
          query("b", intRange(1, Number.MAX_SAFE_INTEGER), "Another model id", true),
          ...evaluationView,
        ],
        responses: {
          200: json(
            "Each side's metrics and the paired comparison",
            loose("mode, window, population, a and b ({model, …metrics}), comparison, favoured"),
          ),
          ...errors(400, 404),
        },
      },
    },
    "/models/{id}": {
      get: {
        summary: "One model's metrics, calibration, daily curve and per-stock record",
        parameters: [recordId("Model"), ...evaluationView],
        responses: {
          200: json(
            "The model's report",
            loose("view, model, metrics, period, calibration, curve, stocks"),
          ),
          ...errors(400, 404),
        },
      },
    },
    "/ab-tests/{id}": {
      get: {
        summary: "An A/B experiment's per-variant results and comparisons",
        parameters: [recordId("Experiment"), ...evaluationView.filter((p) => p.name !== "window")],
        responses: {
          200: json("The experiment's report", loose("mode, population, experiment, variants")),
          ...errors(400, 404),
        },
      },
    },
  },
  "/stream": {
    "/predictions": {
      get: {
        summary: "New live predictions as server-sent events; `id:` is the prediction id",
        parameters: [
          {
            name: "Last-Event-ID",
            in: "header",
            required: false,
            description: "Sent by a reconnecting EventSource: resume after this id",
            schema: string,
          },
          query("after", string, "First connection: resume after this prediction id"),
        ],
        responses: {
          200: {
            description: "An event stream that stays open; a comment every 15 s keeps it alive",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
        },
      },
    },
  },
  "/models": {
    "/": {
      get: {
        summary: "Every model",
        responses: { 200: json("Models", object({ models: arrayOf(schemaRef("Model")) })) },
      },
      post: {
        summary: "Register a model",
        requestBody: jsonBody(schemaRef("ModelFields")),
        responses: {
          201: json("Created", object({ model: schemaRef("Model") })),
          ...errors(400, 409, 413),
        },
      },
    },
    "/{id}": {
      get: {
        summary: "One model",
        parameters: [recordId("Model")],
        responses: {
          200: json("The model", object({ model: schemaRef("Model") })),
          ...errors(400, 404),
        },
      },
      patch: {
        summary: "Edit a model (not its provider); a changed prompt is a new version",
        parameters: [recordId("Model")],
        requestBody: jsonBody(schemaRef("ModelFields")),
        responses: {
          200: json("Updated", object({ model: schemaRef("Model") })),
          ...errors(400, 404, 409, 413),
        },
      },
    },
    "/{id}/prompts": {
      get: {
        summary: "The model's prompt versions",
        parameters: [recordId("Model")],
        responses: {
          200: json("Versions", object({ prompts: arrayOf(schemaRef("PromptVersion")) })),
          ...errors(400, 404),
        },
      },
    },
  },
  "/ab-tests": {
    "/": {
      get: {
        summary: "Every A/B experiment",
        responses: {
          200: json("Experiments", object({ experiments: arrayOf(schemaRef("Experiment")) })),
        },
      },
      post: {
        summary: "Create a draft experiment",
        requestBody: jsonBody(schemaRef("ExperimentFields")),
        responses: {
          201: json("Created", object({ experiment: schemaRef("Experiment") })),
          ...errors(400, 409, 413),
        },
      },
    },
    "/{id}": {
      get: {
        summary: "An experiment with per-variant counts",
        parameters: [recordId("Experiment")],
        responses: {
          200: json(
            "The experiment and its results",
            object({
              experiment: schemaRef("Experiment"),
              results: arrayOf(object({
                variant: nullable(string),
                predictions: integer,
                scored: integer,
                wins: integer,
                losses: integer,
                meanStrategyReturn: nullable(number),
              })),
            }),
          ),
          ...errors(400, 404),
        },
      },
      patch: {
        summary: "Edit a draft",
        parameters: [recordId("Experiment")],
        requestBody: jsonBody(schemaRef("ExperimentFields")),
        responses: {
          200: json("Updated", object({ experiment: schemaRef("Experiment") })),
          ...errors(400, 404, 409, 413),
        },
      },
      delete: {
        summary: "Delete a draft",
        parameters: [recordId("Experiment")],
        responses: { 204: { description: "Deleted" }, ...errors(400, 404, 409) },
      },
    },
    "/{id}/start": {
      post: {
        summary: "Start a draft",
        parameters: [recordId("Experiment")],
        responses: {
          200: json("Running", object({ experiment: schemaRef("Experiment") })),
          ...errors(400, 404, 409),
        },
      },
    },
    "/{id}/stop": {
      post: {
        summary: "Stop a running experiment (for good)",
        parameters: [recordId("Experiment")],
        responses: {
          200: json("Stopped", object({ experiment: schemaRef("Experiment") })),
          ...errors(400, 404, 409),
        },
      },
    },
  },
};

/** GET /api and this document. */
const META_PATHS: SectionPaths = {
  "/": {
    get: {
      summary: "The API's name, version and sections",
      responses: {
        200: json(
          "The listing",
          object({
            name: string,
            version: string,
            openapi: string,
            sections: arrayOf(object({ path: string, description: string })),
          }),
        ),
      },
    },
  },
  [OPENAPI_PATH]: {
    get: {
      summary: "This document",
      responses: { 200: json("OpenAPI 3.1", { type: "object" }) },
    },
  },
};

const ADMIN_SECURITY = {
  read: [{ bearerAuth: [] }, { cookieAuth: [] }],
  write: [{ bearerAuth: [] }, { cookieAuth: [], csrfToken: [] }],
};

/** An admin section's operation: it needs an admin's token, and says so. */
function adminOperation(method: string, operation: Operation): Operation {
  return {
    ...operation,
    security: method === "get" ? ADMIN_SECURITY.read : ADMIN_SECURITY.write,
    responses: { ...operation.responses, ...errors(401, 403) },
  };
}

const tagOf = (section: Pick<ApiSection, "path">) => section.path.slice(1);

/** The OpenAPI document of an /api with these sections mounted (paths relative to /api). */
export function openApiDocument(
  sections: readonly Pick<ApiSection, "path" | "description" | "admin">[],
  version: string,
): Json {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, methods] of Object.entries(META_PATHS)) {
    paths[path] = Object.fromEntries(
      Object.entries(methods).map((
        [method, operation],
      ) => [method, { ...operation, tags: ["meta"] }]),
    );
  }
  for (const section of sections) {
    for (const [path, methods] of Object.entries(SECTION_PATHS[section.path] ?? {})) {
      paths[path === "/" ? section.path : `${section.path}${path}`] = Object.fromEntries(
        Object.entries(methods).map(([method, operation]) => {
          const tagged = { ...operation, tags: [tagOf(section)] };
          return [method, section.admin ? adminOperation(method, tagged) : tagged];
        }),
      );
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Craveny",
      version,
      description: 'Craveny\'s JSON API. Errors answer `{ "error": { "code", "message", ' +
        '"details"? } }` with the matching status. Admin sections need an admin\'s access token.',
    },
    servers: [{ url: "/api" }],
    tags: [
      { name: "meta", description: "This API" },
      ...sections.map((section) => ({ name: tagOf(section), description: section.description })),
    ],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "The accessToken from POST /auth/login or /auth/refresh",
        },
        cookieAuth: {
          type: "apiKey",
          in: "cookie",
          name: ACCESS_COOKIE,
          description: `Browsers: set by /auth/login; writes also need ${CSRF_HEADER}. ` +
            `The refresh token travels in ${REFRESH_COOKIE}, seen only by /auth.`,
        },
        csrfToken: {
          type: "apiKey",
          in: "header",
          name: CSRF_HEADER,
          description: "The csrfToken from /auth/login or /auth/me, on cookie-authenticated writes",
        },
      },
    },
  };
}
