// The API adapter against a real local HTTP server speaking the OpenAI embeddings protocol.
import assert from "node:assert/strict";
import { createLogger } from "../log.ts";
import {
  EmbedRequestError,
  EmbedResponseError,
  OpenAIEmbedder,
  type OpenAIEmbedderOptions,
  planBatches,
} from "./openai.ts";
import { serverRetryDelayMs } from "../net/openai_api.ts";
import { EmbedInputError } from "./port.ts";

const API_KEY = "sk-test-0123456789abcdefghijklmnop";

interface EmbeddingsRequest {
  model: string;
  input: string[];
  dimensions?: number;
  encoding_format?: string;
}

interface Seen {
  path: string;
  authorization: string | null;
  body: EmbeddingsRequest;
}

type Reply = (body: EmbeddingsRequest, request: Request) => Response | Promise<Response>;

/** A local embeddings server answering with `replies` in turn (the last one repeats). */
async function withServer(
  replies: Reply[],
  test: (baseURL: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const body: EmbeddingsRequest = await request.json();
    seen.push({
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      body,
    });
    return replies[Math.min(seen.length, replies.length) - 1](body, request);
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/v1`, seen);
  } finally {
    await server.shutdown();
  }
}

/** A recognisable vector per text, exactly representable in float32. */
function vectorFor(text: string, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, k) => (text.length % 97) + k / 8 - 0.5);
}

function base64Of(values: number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  return btoa(String.fromCharCode(...bytes));
}

/** A correct answer: floats or base64, in input order unless `reversed`. */
function answer(
  options: { base64?: boolean; reversed?: boolean; dimension?: number; tokens?: number } = {},
): Reply {
  return (body) => {
    const data = body.input.map((text, index) => {
      const vector = vectorFor(text, options.dimension ?? body.dimensions ?? 4);
      return { object: "embedding", index, embedding: options.base64 ? base64Of(vector) : vector };
    });
    if (options.reversed) data.reverse();
    const tokens = options.tokens ?? body.input.length * 3;
    return Response.json({
      object: "list",
      model: body.model,
      data,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}

function status(code: number, headers: Record<string, string> = {}, errorCode?: string): Reply {
  return () =>
    Response.json(
      { error: { message: `status ${code} from test server`, type: "test", code: errorCode } },
      { status: code, headers },
    );
}

interface Harness {
  waits: number[];
  logs: string[];
}

function embedderAt(
  baseURL: string,
  options: Partial<OpenAIEmbedderOptions> = {},
): OpenAIEmbedder & Harness {
  const waits: number[] = [];
  const logs: string[] = [];
  const embedder = new OpenAIEmbedder({
    apiKey: API_KEY,
    baseURL,
    dimensions: 4,
    retry: { attempts: 4, timeoutMs: 2_000, baseDelayMs: 10, maxDelayMs: 200 },
    log: createLogger("debug", (line) => logs.push(line)),
    deps: {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
    ...options,
  });
  return Object.assign(embedder, { waits, logs });
}

function floats(vector: Float32Array): number[] {
  return [...vector];
}

Deno.test("one request per batch: model, dimensions, key; vectors in input order; usage summed", async () => {
  await withServer([answer({ reversed: true })], async (baseURL, seen) => {
    const embedder = embedderAt(baseURL);
    assert.equal(embedder.id, "openai:text-embedding-3-small:4");
    const texts = ["Apple beats", "Oil slumps on supply glut", "Fed holds"];
    const result = await embedder.embed(texts);
    assert.deepEqual(result.vectors.map(floats), texts.map((text) => vectorFor(text, 4)));
    assert.equal(result.tokens, 9);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].path, "/v1/embeddings");
    assert.equal(seen[0].authorization, `Bearer ${API_KEY}`);
    assert.deepEqual(seen[0].body, {
      model: "text-embedding-3-small",
      input: texts,
      dimensions: 4,
      encoding_format: "base64",
    });
  });
});

Deno.test("base64 answers decode to the exact float32 bits", async () => {
  await withServer([answer({ base64: true })], async (baseURL) => {
    const texts = ["NVDA tops estimates", "x"];
    const { vectors } = await embedderAt(baseURL).embed(texts);
    assert.deepEqual(vectors.map(floats), texts.map((text) => vectorFor(text, 4)));
    assert.ok(vectors.every((vector) => vector instanceof Float32Array));
  });
});

Deno.test("float encoding can be asked for", async () => {
  await withServer([answer()], async (baseURL, seen) => {
    await embedderAt(baseURL, { encodingFormat: "float" }).embed(["a"]);
    assert.equal(seen[0].body.encoding_format, "float");
  });
});

Deno.test("batches: at most maxBatchInputs inputs and maxBatchTokens estimated tokens", async () => {
  assert.deepEqual(planBatches([1, 1, 1, 1, 1], 2, 100), [[0, 2], [2, 4], [4, 5]]);
  assert.deepEqual(planBatches([60, 50, 40, 200, 10], 10, 100), [[0, 1], [1, 3], [3, 4], [4, 5]]);
  assert.deepEqual(planBatches([], 10, 100), []);
  assert.deepEqual(planBatches(new Array(5000).fill(1), 2048, 300_000).map(([a, b]) => b - a), [
    2048,
    2048,
    904,
  ]);
  await withServer([answer({ tokens: 5 })], async (baseURL, seen) => {
    const texts = ["a".repeat(30), "b".repeat(30), "c".repeat(30), "d", "e"];
    const result = await embedderAt(baseURL, { maxBatchInputs: 2, maxBatchTokens: 61 }).embed(
      texts,
    );
    assert.deepEqual(seen.map((request) => request.body.input.length), [2, 2, 1]);
    assert.deepEqual(result.vectors.map(floats), texts.map((text) => vectorFor(text, 4)));
    assert.equal(result.tokens, 15);
  });
});

Deno.test("an input over the token limit is cut (by UTF-8 bytes) before it is sent", async () => {
  await withServer([answer()], async (baseURL, seen) => {
    await embedderAt(baseURL, { maxInputTokens: 10 }).embed(["€uro zone stocks rally", "short"]);
    assert.deepEqual(seen[0].body.input, ["€uro zon", "short"]); // "€" is 3 bytes
    await embedderAt(baseURL).embed(["word ".repeat(10_000)]);
    assert.equal(seen[1].body.input[0].length, 8191);
  });
});

Deno.test("empty texts: EmbedInputError naming the index, and nothing is sent", async () => {
  await withServer([answer()], async (baseURL, seen) => {
    await assert.rejects(() => embedderAt(baseURL).embed(["ok", "  "]), (error) => {
      assert.ok(error instanceof EmbedInputError);
      assert.match(error.message, /^openai:text-embedding-3-small:4: 1 of 2 texts .*#1/);
      return true;
    });
    assert.equal(seen.length, 0);
  });
});

Deno.test("429 with retry-after-ms: waits what the server asks, then succeeds", async () => {
  await withServer(
    [status(429, { "retry-after-ms": "30" }), answer()],
    async (baseURL, seen) => {
      const embedder = embedderAt(baseURL);
      const { vectors } = await embedder.embed(["a", "b"]);
      assert.equal(vectors.length, 2);
      assert.equal(seen.length, 2);
      assert.deepEqual(embedder.waits, [30]);
      assert.equal(embedder.logs.length, 1);
      const line = JSON.parse(embedder.logs[0]);
      assert.equal(line.message, "embedding request failed, retrying");
      assert.equal(line.status, 429);
      assert.ok(!embedder.logs[0].includes(API_KEY));
    },
  );
});

Deno.test("a 429 storm backs off exponentially (capped) and drops nothing", async () => {
  await withServer([...new Array(6).fill(status(429)), answer()], async (baseURL, seen) => {
    const embedder = embedderAt(baseURL, {
      retry: { attempts: 10, timeoutMs: 2_000, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const texts = Array.from({ length: 50 }, (_, i) => `headline ${i}`);
    const { vectors } = await embedder.embed(texts);
    assert.deepEqual(vectors.map(floats), texts.map((text) => vectorFor(text, 4)));
    assert.equal(seen.length, 7);
    // Full jitter with random() = 0.5: half of 10, 20, 40, 80, then the 100 ms cap.
    assert.deepEqual(embedder.waits, [5, 10, 20, 40, 50, 50]);
  });
});

Deno.test("retry-after in seconds is honoured, capped at maxDelayMs", async () => {
  assert.equal(serverRetryDelayMs(new Headers({ "retry-after-ms": "1500.5" }), 0), 1501);
  assert.equal(serverRetryDelayMs(new Headers({ "retry-after": "2" }), 0), 2000);
  assert.equal(
    serverRetryDelayMs(new Headers({ "retry-after-ms": "x", "retry-after": "1" }), 0),
    1000,
  );
  assert.equal(serverRetryDelayMs(new Headers(), 0), null);
  await withServer([status(503, { "retry-after": "120" }), answer()], async (baseURL) => {
    const embedder = embedderAt(baseURL);
    await embedder.embed(["a"]);
    assert.deepEqual(embedder.waits, [200]);
  });
});

Deno.test("500 then success", async () => {
  await withServer([status(500), answer()], async (baseURL, seen) => {
    const embedder = embedderAt(baseURL);
    const { vectors, tokens } = await embedder.embed(["a"]);
    assert.deepEqual(floats(vectors[0]), vectorFor("a", 4));
    assert.equal(tokens, 3);
    assert.equal(seen.length, 2);
    assert.deepEqual(embedder.waits, [5]);
  });
});

Deno.test("gives up after `attempts` with the last status", async () => {
  await withServer([status(502)], async (baseURL, seen) => {
    await assert.rejects(() => embedderAt(baseURL).embed(["a"]), (error) => {
      assert.ok(error instanceof EmbedRequestError);
      assert.equal(error.status, 502);
      assert.equal(error.attempts, 4);
      assert.match(error.message, /failed after 4 attempts: HTTP 502/);
      return true;
    });
    assert.equal(seen.length, 4);
  });
});

Deno.test("400, 401 and an exhausted quota are not retried; the key is never shown", async () => {
  for (
    const [reply, code] of [
      [status(400), 400],
      [status(401), 401],
      [status(429, {}, "insufficient_quota"), 429],
    ] as const
  ) {
    await withServer([reply, answer()], async (baseURL, seen) => {
      await assert.rejects(() => embedderAt(baseURL).embed(["a"]), (error) => {
        assert.ok(error instanceof EmbedRequestError);
        assert.equal(error.status, code);
        assert.equal(error.attempts, 1);
        assert.ok(!error.message.includes(API_KEY));
        return true;
      });
      assert.equal(seen.length, 1);
    });
  }
});

/** Sends `reply` to a 2-input request and returns the EmbedResponseError's message. */
async function responseError(reply: Reply): Promise<string> {
  let message = "";
  await withServer([reply], async (baseURL, seen) => {
    await assert.rejects(() => embedderAt(baseURL).embed(["first", "second"]), (error) => {
      assert.ok(error instanceof EmbedResponseError, String(error));
      message = error.message;
      return true;
    });
    assert.equal(seen.length, 1, "a bad answer is not retried");
  });
  return message;
}

Deno.test("a malformed JSON body is a clear error", async () => {
  const message = await responseError(() =>
    new Response('{"object":"list","data":[', { headers: { "content-type": "application/json" } })
  );
  assert.match(message, /^openai:text-embedding-3-small:4: POST .*\/embeddings .*not JSON/);
});

Deno.test("a web page instead of JSON is a clear error", async () => {
  const message = await responseError(() =>
    new Response("<html>Login</html>", { headers: { "content-type": "text/html" } })
  );
  assert.match(message, /not an embeddings list \(got text "<html>Login<\/html>"\)/);
});

Deno.test("a vector of the wrong dimension is a clear error", async () => {
  const message = await responseError(answer({ dimension: 3 }));
  assert.match(message, /embedding for input 0 has 3 dimensions, expected 4/);
});

Deno.test("fewer vectors than inputs is a clear error", async () => {
  const message = await responseError((body) =>
    answer()({ ...body, input: body.input.slice(1) }, new Request("http://x"))
  );
  assert.match(message, /expected 2 embeddings, got 1/);
});

Deno.test("non-finite, non-numeric or duplicate entries are clear errors", async () => {
  const reply = (data: unknown[]): Reply => () =>
    Response.json({ object: "list", data, usage: { total_tokens: 1 } });
  assert.match(
    await responseError(reply([
      { index: 0, embedding: base64Of([1, NaN, 0, 0]) },
      { index: 1, embedding: [0, 0, 0, 1] },
    ])),
    /input 0 has a non-finite value at 1/,
  );
  assert.match(
    await responseError(reply([
      { index: 0, embedding: [0, 0, 0, 1] },
      { index: 1, embedding: [0, null, 0, 1] },
    ])),
    /input 1 has a non-number at 1/,
  );
  assert.match(
    await responseError(reply([
      { index: 1, embedding: [0, 0, 0, 1] },
      { index: 1, embedding: [0, 0, 0, 1] },
    ])),
    /index 1 appears twice/,
  );
  assert.match(
    await responseError(reply([
      { index: 0, embedding: "not base64!" },
      { index: 1, embedding: [0, 0, 0, 1] },
    ])),
    /input 0 is not valid base64/,
  );
});

Deno.test("a stalled server: each attempt times out and is retried, then a clear error", async () => {
  // Answers long after the client's 100 ms timeout (and short enough not to slow shutdown).
  const stall: Reply = () =>
    new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({})), 400));
  await withServer([stall], async (baseURL, seen) => {
    const embedder = embedderAt(baseURL, {
      retry: { attempts: 2, timeoutMs: 100, baseDelayMs: 10, maxDelayMs: 200 },
    });
    const started = performance.now();
    await assert.rejects(() => embedder.embed(["a"]), (error) => {
      assert.ok(error instanceof EmbedRequestError);
      assert.equal(error.status, null);
      assert.match(error.message, /failed after 2 attempts: timed out after 100 ms/);
      return true;
    });
    assert.ok(performance.now() - started < 1_500);
    assert.equal(seen.length, 2);
  });
});

Deno.test("nothing listening: connection errors are retried, then a clear error", async () => {
  const closed = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(),
  );
  const port = closed.addr.port;
  await closed.shutdown();
  const embedder = embedderAt(`http://127.0.0.1:${port}/v1`, {
    retry: { attempts: 2, timeoutMs: 1_000, baseDelayMs: 10, maxDelayMs: 200 },
  });
  await assert.rejects(() => embedder.embed(["a"]), (error) => {
    assert.ok(error instanceof EmbedRequestError);
    assert.equal(error.status, null);
    assert.match(error.message, /failed after 2 attempts: connection failed/);
    return true;
  });
});

Deno.test("the caller's abort ends a backoff wait at once with the caller's reason", async () => {
  await withServer([status(429, { "retry-after-ms": "10000" })], async (baseURL) => {
    const embedder = new OpenAIEmbedder({ apiKey: API_KEY, baseURL, dimensions: 4 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error("job cancelled")), 100);
    await assert.rejects(() => embedder.embed(["a"], controller.signal), /job cancelled/);
    assert.ok(performance.now() - started < 2_000);
  });
});
