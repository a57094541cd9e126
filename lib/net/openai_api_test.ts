// The shared retry loop against real loopback servers; the embedder and LLM tests cover the rest.
import assert from "node:assert/strict";
import { ApiCallError, callWithRetries, createOpenAIClient } from "./openai_api.ts";

const API_KEY = "sk-test-net-0123456789abcdefghij";
const POLICY = { attempts: 2, timeoutMs: 150, baseDelayMs: 10, maxDelayMs: 100 };

async function withServer(
  handler: (request: Request) => Response,
  test: (baseURL: string, requests: () => number) => Promise<void>,
): Promise<void> {
  let count = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    count++;
    return handler(request);
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/v1`, () => count);
  } finally {
    await server.shutdown();
  }
}

function listModels(baseURL: string) {
  const client = createOpenAIClient({ apiKey: API_KEY, baseURL });
  return (signal: AbortSignal) => client.models.list({ signal });
}

Deno.test("a body that stalls after the headers times out, and is retried", async () => {
  await withServer(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"data":['));
          },
        }),
        { headers: { "content-type": "application/json" } },
      ),
    async (baseURL, requests) => {
      const started = performance.now();
      await assert.rejects(
        () => callWithRetries(listModels(baseURL), POLICY, { what: "GET /models" }),
        (error) => {
          assert.ok(error instanceof ApiCallError, String(error));
          assert.equal(error.status, null);
          assert.equal(error.attempts, 2);
          assert.equal(
            error.message,
            "GET /models failed after 2 attempts: timed out after 150 ms",
          );
          return true;
        },
      );
      assert.ok(performance.now() - started < 1_500);
      assert.equal(requests(), 2);
    },
  );
});

Deno.test("secrets are hidden from errors and retry notices", async () => {
  const echo = (request: Request) =>
    Response.json(
      { error: { message: `bad key ${request.headers.get("authorization")}` } },
      { status: 503 },
    );
  await withServer(echo, async (baseURL) => {
    const notices: string[] = [];
    await assert.rejects(
      () =>
        callWithRetries(listModels(baseURL), POLICY, {
          what: "GET /models",
          secrets: [API_KEY],
          deps: { sleep: () => Promise.resolve() },
          onRetry: (notice) => notices.push(notice.reason),
        }),
      (error) => {
        assert.ok(error instanceof ApiCallError);
        assert.equal(error.status, 503);
        assert.match(error.message, /HTTP 503: bad key Bearer \*\*\*$/);
        return true;
      },
    );
    assert.deepEqual(notices, ["HTTP 503: bad key Bearer ***"]);
  });
});

Deno.test("an error that is neither an API nor a network failure is thrown as it is", async () => {
  const bug = new TypeError("a bug in the caller");
  await assert.rejects(
    () => callWithRetries(() => Promise.reject(bug), POLICY, { what: "x" }),
    (error) => error === bug,
  );
});
