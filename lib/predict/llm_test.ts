// predictWithLlm against a real local chat-completions server: the retry conversation, refusals,
// transport retries, timeouts and what every outcome records.
import assert from "node:assert/strict";
import { createLogger } from "../log.ts";
import { abortableSleep } from "../net/http_fetch.ts";
import {
  apiError,
  type ChatReplyScript,
  completion,
  stalled,
  withChatServer,
} from "../../tests/support/llm_server.ts";
import { FORECAST_RESPONSE_FORMAT } from "./forecast_schema.ts";
import { type LlmPredictionRequest, predictWithLlm } from "./llm.ts";
import { LlmClient, type LlmClientOptions } from "./llm_client.ts";

const API_KEY = "sk-test-llm-0123456789abcdefghij";

const REQUEST: LlmPredictionRequest = {
  model: "gpt-4o-mini",
  params: { temperature: 0.2, maxTokens: 300 },
  prompt: { system: "Rules: answer JSON only.", user: "Forecast ACME over 5 trading days." },
  horizon: 5,
  shownIds: [101, 102, 55],
  prices: { input: 0.000001, output: 0.000004 },
};

const VALID = JSON.stringify({
  direction: "up",
  confidence: 0.62,
  horizon: 5,
  reasoning: "Close is +1.61% above SMA20 and [101] reports higher guidance.",
  citedNewsIds: [101],
});

interface Harness {
  client: LlmClient;
  waits: number[];
  logs: string[];
}

function clientAt(baseURL: string, options: Partial<LlmClientOptions> = {}): Harness {
  const waits: number[] = [];
  const logs: string[] = [];
  const client = new LlmClient({
    provider: "openai",
    apiKey: API_KEY,
    baseURL,
    retry: { attempts: 3, timeoutMs: 2_000, baseDelayMs: 10, maxDelayMs: 200 },
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
  return { client, waits, logs };
}

Deno.test("a valid answer: one request with the model, parameters, schema and messages", async () => {
  await withChatServer([completion(VALID)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.forecast, JSON.parse(VALID));
    assert.equal(result.attempts, 1);
    assert.equal(result.answer, VALID);
    assert.deepEqual(result.usage, { inputTokens: 100, outputTokens: 20 });
    assert.equal(result.cost, 100 * 0.000001 + 20 * 0.000004);
    assert.ok(result.latencyMs >= 0);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].path, "/v1/chat/completions");
    assert.equal(seen[0].authorization, `Bearer ${API_KEY}`);
    assert.deepEqual(seen[0].body, {
      model: "gpt-4o-mini",
      temperature: 0.2,
      max_tokens: 300,
      response_format: FORECAST_RESPONSE_FORMAT,
      messages: [
        { role: "system", content: REQUEST.prompt.system },
        { role: "user", content: REQUEST.prompt.user },
      ],
    });
  });
});

Deno.test("invalid then valid: the retry carries the bad answer and the error; usage and cost sum", async () => {
  const bad = JSON.stringify({ ...JSON.parse(VALID), direction: "sideways" });
  await withChatServer(
    [completion(bad), completion(VALID, { usage: { prompt: 150, completion: 30 } })],
    async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.forecast.direction, "up");
      assert.equal(result.attempts, 2);
      assert.deepEqual(result.usage, { inputTokens: 250, outputTokens: 50 });
      assert.equal(result.cost, 250 * 0.000001 + 50 * 0.000004);
      assert.equal(seen.length, 2);
      const messages = seen[1].body.messages;
      assert.deepEqual(messages.slice(0, 3), [
        ...seen[0].body.messages,
        { role: "assistant", content: bad },
      ]);
      assert.equal(messages[3].role, "user");
      assert.match(messages[3].content, /not accepted\. direction must be "up", "down" or "flat"/);
      assert.match(messages[3].content, /not "sideways"/);
    },
  );
});

Deno.test("invalid twice: a failed attempt with the last answer, both calls paid for", async () => {
  const first = "I think it will go up.";
  const second = '{"direction":"up"}';
  await withChatServer([completion(first), completion(second)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(!result.ok);
    assert.match(result.error, /^invalid answer after 2 attempts: Missing keys: "confidence"/);
    assert.equal(result.answer, second);
    assert.equal(result.attempts, 2);
    assert.deepEqual(result.usage, { inputTokens: 200, outputTokens: 40 });
    assert.equal(seen.length, 2);
    assert.match(seen[1].body.messages[3].content, /The answer is not JSON/);
  });
});

Deno.test("429 with retry-after-ms: the wait is honoured, then the answer counts once", async () => {
  const replies = [apiError(429, { headers: { "retry-after-ms": "60" } }), completion(VALID)];
  await withChatServer(replies, async (baseURL, seen) => {
    const waits: number[] = [];
    const { client, logs } = clientAt(baseURL, {
      deps: {
        sleep: (ms, signal) => {
          waits.push(ms);
          return abortableSleep(ms, signal);
        },
      },
    });
    const started = performance.now();
    const result = await predictWithLlm(client, REQUEST);
    assert.ok(result.ok);
    assert.ok(performance.now() - started >= 60);
    assert.deepEqual(waits, [60]);
    assert.equal(seen.length, 2);
    assert.equal(result.attempts, 1, "a transport retry is not a second answer");
    assert.deepEqual(result.usage, { inputTokens: 100, outputTokens: 20 });
    const line = JSON.parse(logs[0]);
    assert.equal(line.message, "LLM request failed, retrying");
    assert.equal(line.status, 429);
    assert.equal(line.model, "gpt-4o-mini");
  });
});

Deno.test("429 with retry-after in seconds: waited, capped at maxDelayMs", async () => {
  const replies = [apiError(429, { headers: { "retry-after": "1" } }), completion(VALID)];
  await withChatServer(replies, async (baseURL) => {
    const harness = clientAt(baseURL, {
      retry: { attempts: 3, timeoutMs: 2_000, baseDelayMs: 10, maxDelayMs: 5_000 },
    });
    assert.ok((await predictWithLlm(harness.client, REQUEST)).ok);
    assert.deepEqual(harness.waits, [1_000]);
  });
  await withChatServer(
    [apiError(503, { headers: { "retry-after": "120" } }), completion(VALID)],
    async (baseURL) => {
      const harness = clientAt(baseURL);
      assert.ok((await predictWithLlm(harness.client, REQUEST)).ok);
      assert.deepEqual(harness.waits, [200]);
    },
  );
});

Deno.test("500 then success: retried after a jittered backoff", async () => {
  await withChatServer([apiError(500), completion(VALID)], async (baseURL, seen) => {
    const harness = clientAt(baseURL);
    const result = await predictWithLlm(harness.client, REQUEST);
    assert.ok(result.ok);
    assert.equal(seen.length, 2);
    assert.deepEqual(harness.waits, [5]); // random() = 0.5 of the 10 ms base
  });
});

Deno.test("5xx on every attempt: a failed attempt naming the status and the attempts", async () => {
  await withChatServer([apiError(502)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(!result.ok);
    assert.match(
      result.error,
      /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(gpt-4o-mini\) failed after 3 attempts: HTTP 502/,
    );
    assert.equal(result.answer, null);
    assert.deepEqual(result.usage, { inputTokens: 0, outputTokens: 0 });
    assert.equal(result.cost, 0);
    assert.equal(seen.length, 3);
  });
});

Deno.test("a stalled server: each attempt times out, then a clear error within the deadline", async () => {
  await withChatServer([stalled(600)], async (baseURL, seen) => {
    const { client } = clientAt(baseURL, {
      retry: { attempts: 2, timeoutMs: 100, baseDelayMs: 10, maxDelayMs: 200 },
    });
    const started = performance.now();
    const result = await predictWithLlm(client, REQUEST);
    assert.ok(performance.now() - started < 1_000);
    assert.ok(!result.ok);
    assert.match(result.error, /failed after 2 attempts: timed out after 100 ms$/);
    assert.equal(seen.length, 2);
  });
});

Deno.test("truncated JSON at the token limit: retried with the limit named", async () => {
  const cut = '{"direction":"up","confidence":0.6,"horizon":5,"reasoning":"Momentum is str';
  await withChatServer(
    [completion(cut, { finishReason: "length" }), completion(VALID)],
    async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(result.ok);
      assert.equal(result.attempts, 2);
      assert.match(seen[1].body.messages[3].content, /cut off at the limit of 300 tokens/);
    },
  );
});

Deno.test("truncated JSON without finish_reason length is still invalid", async () => {
  const cut = '{"direction":"up","confidence":0.6,"horizon":5,"reasoning":"Momentum is str';
  await withChatServer([completion(cut)], async (baseURL) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(!result.ok);
    assert.match(result.error, /The answer is not valid JSON/);
    assert.equal(result.answer, cut);
  });
});

Deno.test("a refusal: a failed attempt at once, nothing made up, the refusal kept", async () => {
  const refusal = "I can't provide financial predictions.";
  await withChatServer(
    [completion(null, { refusal }), completion(VALID)],
    async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(!result.ok);
      assert.equal(result.error, `the model refused: ${refusal}`);
      assert.equal(result.answer, refusal);
      assert.equal(result.attempts, 1);
      assert.deepEqual(result.usage, { inputTokens: 100, outputTokens: 20 });
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("a content-filter stop is a failed attempt, not retried", async () => {
  await withChatServer(
    [completion("", { finishReason: "content_filter" }), completion(VALID)],
    async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(!result.ok);
      assert.match(result.error, /content filter/);
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("hallucinated news ids: retried naming them; still hallucinated → failed", async () => {
  const invented = JSON.stringify({ ...JSON.parse(VALID), citedNewsIds: [101, 999, 1000] });
  await withChatServer([completion(invented)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(!result.ok);
    assert.match(result.error, /citedNewsIds 999, 1000 were not shown/);
    assert.equal(result.answer, invented);
    assert.equal(seen.length, 2);
    assert.match(seen[1].body.messages[3].content, /citedNewsIds 999, 1000 were not shown/);
  });
});

Deno.test("markdown-fenced JSON is accepted; prose around JSON is retried", async () => {
  await withChatServer([completion("```json\n" + VALID + "\n```")], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(result.ok);
    assert.equal(seen.length, 1);
  });
  const prose = `Here is my forecast:\n${VALID}`;
  await withChatServer([completion(prose), completion(VALID)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(result.ok);
    assert.equal(result.attempts, 2);
    assert.match(seen[1].body.messages[3].content, /not JSON: send only the JSON object/);
  });
});

Deno.test("an empty answer is retried without an empty assistant turn", async () => {
  await withChatServer([completion(""), completion(VALID)], async (baseURL, seen) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(result.ok);
    const messages = seen[1].body.messages;
    assert.deepEqual(messages.map((message) => message.role), ["system", "user", "user"]);
    assert.match(messages[2].content, /The answer is empty/);
  });
});

Deno.test("an API error on the retry: a failed attempt keeping the first answer and its usage", async () => {
  await withChatServer([completion("nope"), apiError(400)], async (baseURL) => {
    const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
    assert.ok(!result.ok);
    assert.match(result.error, /HTTP 400: status 400 from test server$/);
    assert.equal(result.answer, "nope");
    assert.equal(result.attempts, 2);
    assert.deepEqual(result.usage, { inputTokens: 100, outputTokens: 20 });
  });
});

Deno.test("401 is not retried and the key appears in no error or log line", async () => {
  // A misconfigured proxy that echoes the credentials back.
  const echo: ChatReplyScript = (_body, request) =>
    apiError(401, { message: `Incorrect API key: ${request.headers.get("authorization")}` })(
      _body,
      request,
    );
  await withChatServer([echo, completion(VALID)], async (baseURL, seen) => {
    const { client, logs } = clientAt(baseURL);
    const result = await predictWithLlm(client, REQUEST);
    assert.ok(!result.ok);
    assert.match(result.error, /HTTP 401: Incorrect API key: Bearer \*\*\*$/);
    assert.ok(!result.error.includes(API_KEY));
    assert.ok(!logs.join("\n").includes(API_KEY));
    assert.equal(seen.length, 1);
  });
});

Deno.test("an exhausted quota (429 insufficient_quota) is not retried", async () => {
  await withChatServer(
    [apiError(429, { code: "insufficient_quota" }), completion(VALID)],
    async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(!result.ok);
      assert.match(result.error, /HTTP 429/);
      assert.equal(seen.length, 1);
    },
  );
});

Deno.test("a 200 that is not a completion is a clear failed attempt", async () => {
  const html: ChatReplyScript = () =>
    new Response("<html>Sign in</html>", { headers: { "content-type": "text/html" } });
  const broken: ChatReplyScript = () =>
    new Response('{"choices":[', { headers: { "content-type": "application/json" } });
  const upstream: ChatReplyScript = () =>
    Response.json({ error: { message: "Provider returned error", code: 502 } });
  for (
    const [reply, pattern] of [
      [html, /not a chat completion \(got text "<html>Sign in<\/html>"\)$/],
      [broken, /response is not JSON/],
      [upstream, /the server answered with an error: Provider returned error$/],
    ] as const
  ) {
    await withChatServer([reply], async (baseURL, seen) => {
      const result = await predictWithLlm(clientAt(baseURL).client, REQUEST);
      assert.ok(!result.ok);
      assert.match(result.error, pattern);
      assert.equal(seen.length, 1);
    });
  }
});

Deno.test("a response without usage counts 0 tokens and says so in the log", async () => {
  await withChatServer([completion(VALID, { usage: null })], async (baseURL) => {
    const { client, logs } = clientAt(baseURL);
    const result = await predictWithLlm(client, REQUEST);
    assert.ok(result.ok);
    assert.deepEqual(result.usage, { inputTokens: 0, outputTokens: 0 });
    assert.match(logs.join("\n"), /no token usage/);
  });
});

Deno.test("the caller's abort ends the call at once with the caller's reason", async () => {
  await withChatServer(
    [apiError(429, { headers: { "retry-after-ms": "10000" } })],
    async (baseURL) => {
      const { client } = clientAt(baseURL, {
        retry: { attempts: 3, timeoutMs: 2_000, baseDelayMs: 10, maxDelayMs: 20_000 },
        deps: {},
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("job cancelled")), 100);
      const started = performance.now();
      await assert.rejects(
        () => predictWithLlm(client, REQUEST, controller.signal),
        /job cancelled/,
      );
      assert.ok(performance.now() - started < 2_000);
    },
  );
});
