// fetchWithRetry against real loopback servers; only the waits between attempts are faked.
import assert from "node:assert/strict";
import { MemoryCache } from "../cache/memory.ts";
import {
  BodyTooLarge,
  fetchBytes,
  FetchError,
  fetchWithRetry,
  readBodyLimited,
  type RetryPolicy,
  USER_AGENT,
} from "./http_fetch.ts";

const policy: RetryPolicy = { attempts: 3, timeoutMs: 2_000, baseDelayMs: 100, maxDelayMs: 5_000 };

/** A sleep that only records what it was asked to wait. */
function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

/** Serves `answer(n)` for the n-th request (1-based) and remembers each request's URL and headers. */
function serve(answer: (n: number) => Response | Promise<Response>) {
  // Copies: a Request's headers can't be read once its connection is done.
  const requests: { url: string; headers: Headers }[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request) => {
      requests.push({ url: request.url, headers: new Headers(request.headers) });
      return answer(requests.length);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A raw TCP server: connection n is handled by `handlers[n]` (the last one repeats). */
function rawServer(handlers: ((conn: Deno.TcpConn) => Promise<void>)[]) {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  let connections = 0;
  const handling: Promise<void>[] = [];
  const serveOne = async (conn: Deno.TcpConn, handler: (conn: Deno.TcpConn) => Promise<void>) => {
    await conn.read(new Uint8Array(4096)).catch(() => null);
    await handler(conn).catch(() => {});
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const accepting = (async () => {
    // Connections are served concurrently: a retry must not wait for a stalled connection.
    for await (const conn of listener) {
      handling.push(serveOne(conn, handlers[Math.min(connections++, handlers.length - 1)]));
    }
  })();
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    connections: () => connections,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      await Promise.all(handling);
    },
  };
}

async function write(conn: Deno.TcpConn, text: string): Promise<void> {
  await conn.write(new TextEncoder().encode(text));
}

Deno.test("429 with Retry-After in seconds: waits that long, then succeeds", async () => {
  await using server = serve((n) =>
    n === 1
      ? new Response("slow down", { status: 429, headers: { "Retry-After": "2" } })
      : new Response("ok")
  );
  const { waits, sleep } = recordingSleep();
  const response = await fetchWithRetry(`${server.url}/a`, {}, policy, { sleep });
  assert.equal(await response.text(), "ok");
  assert.deepEqual(waits, [2_000]);
  assert.equal(server.requests.length, 2);
});

Deno.test("Retry-After as an HTTP date is relative to now and capped by maxDelayMs", async () => {
  const now = Date.parse("2024-01-02T10:00:00Z");
  await using server = serve((n) =>
    new Response(n < 3 ? "busy" : "ok", {
      status: n < 3 ? 429 : 200,
      headers: {
        "Retry-After": n === 1 ? "Tue, 02 Jan 2024 10:00:03 GMT" : "Tue, 02 Jan 2024 11:00:00 GMT",
      },
    })
  );
  const { waits, sleep } = recordingSleep();
  const response = await fetchWithRetry(`${server.url}/`, {}, policy, { sleep, now: () => now });
  await response.body?.cancel();
  assert.deepEqual(waits, [3_000, policy.maxDelayMs]);
});

Deno.test("503 then 200: retried after a jittered exponential backoff", async () => {
  await using server = serve((n) =>
    n < 3 ? new Response("down", { status: 503 }) : new Response("up")
  );
  const { waits, sleep } = recordingSleep();
  const response = await fetchWithRetry(`${server.url}/`, {}, policy, {
    sleep,
    random: () => 0.5,
  });
  assert.equal(await response.text(), "up");
  // Ceilings 100 then 200 ms, half of each.
  assert.deepEqual(waits, [50, 100]);
});

Deno.test("a server that keeps failing: FetchError with status, attempts, and no secrets", async () => {
  await using server = serve(() => new Response("down", { status: 502 }));
  const { sleep } = recordingSleep();
  const error = await fetchWithRetry(`${server.url}/x?apikey=SECRET123&d=1`, {}, policy, { sleep })
    .then(() => null, (error) => error);
  assert.ok(error instanceof FetchError);
  assert.equal(error.status, 502);
  assert.equal(error.attempts, 3);
  assert.equal(error.url, `${server.url}/x?apikey=***&d=1`);
  assert.match(error.message, /failed after 3 attempts: HTTP 502/);
  assert.doesNotMatch(error.message, /SECRET123/);
  assert.equal(server.requests.length, 3);
});

Deno.test("404 is not retried; the error quotes the start of the body", async () => {
  await using server = serve(() =>
    Response.json(
      { chart: { result: null, error: { code: "Not Found", description: "No data found" } } },
      { status: 404 },
    )
  );
  const { waits, sleep } = recordingSleep();
  const error = await fetchWithRetry(`${server.url}/v8/finance/chart/NOPE`, {}, policy, { sleep })
    .then(() => null, (error) => error);
  assert.ok(error instanceof FetchError);
  assert.equal(error.status, 404);
  assert.equal(error.attempts, 1);
  assert.match(error.message, /HTTP 404: .*No data found/);
  assert.deepEqual(waits, []);
  assert.equal(server.requests.length, 1);
});

Deno.test("a hanging server times out per attempt", async () => {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  await using server = serve(async () => {
    await released;
    return new Response("too late");
  });
  try {
    const { sleep } = recordingSleep();
    const started = performance.now();
    const error = await fetchWithRetry(`${server.url}/`, {}, {
      ...policy,
      attempts: 2,
      timeoutMs: 60,
    }, { sleep }).then(() => null, (error) => error);
    assert.ok(error instanceof FetchError);
    assert.equal(error.status, null);
    assert.equal(error.attempts, 2);
    assert.match(error.message, /timed out after 60 ms/);
    assert.equal(server.requests.length, 2);
    assert.ok(performance.now() - started < 1_500);
  } finally {
    release();
  }
});

Deno.test("a closed connection is a network error and is retried", async () => {
  await using server = rawServer([
    async () => {}, // closes without answering
    (conn) => write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"),
  ]);
  const { waits, sleep } = recordingSleep();
  const response = await fetchWithRetry(`${server.url}/`, {}, policy, {
    sleep,
    random: () => 0,
  });
  assert.equal(await response.text(), "ok");
  assert.equal(waits.length, 1);
  assert.ok(server.connections() >= 2);
});

Deno.test("a server that always closes the connection: FetchError naming a network error", async () => {
  await using server = rawServer([async () => {}]);
  const { sleep } = recordingSleep();
  const error = await fetchWithRetry(`${server.url}/`, {}, { ...policy, attempts: 2 }, { sleep })
    .then(() => null, (error) => error);
  assert.ok(error instanceof FetchError);
  assert.equal(error.status, null);
  assert.equal(error.attempts, 2);
  assert.match(error.message, /failed after 2 attempts: network error/);
});

Deno.test("fetchBytes retries a body cut off half-way", async () => {
  await using server = rawServer([
    (conn) => write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"),
    (conn) => write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nwhole"),
  ]);
  const { sleep } = recordingSleep();
  const fetched = await fetchBytes(`${server.url}/`, {}, policy, 1_000, { sleep });
  assert.equal(new TextDecoder().decode(fetched.body), "whole");
  assert.equal(fetched.attempts, 2);
});

Deno.test("fetchBytes times out a body that stalls half-way, then retries", async () => {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  await using server = rawServer([
    async (conn) => {
      await write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
      await released;
    },
    (conn) => write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nwhole"),
  ]);
  try {
    const { sleep } = recordingSleep();
    const fetched = await fetchBytes(`${server.url}/`, {}, { ...policy, timeoutMs: 80 }, 1_000, {
      sleep,
    });
    assert.equal(new TextDecoder().decode(fetched.body), "whole");
    assert.equal(fetched.attempts, 2);
  } finally {
    release();
  }
});

Deno.test("fetchBytes refuses an oversized body without retrying", async () => {
  await using server = serve(() => new Response("x".repeat(5_000)));
  const error = await fetchBytes(`${server.url}/big`, {}, policy, 1_000, {
    sleep: () => Promise.resolve(),
  }).then(() => null, (error) => error);
  assert.ok(error instanceof FetchError);
  assert.equal(error.status, 200);
  assert.equal(error.attempts, 1);
  assert.ok(error.cause instanceof BodyTooLarge);
  assert.equal(server.requests.length, 1);
});

Deno.test("requests identify Craveny unless the caller names itself", async () => {
  await using server = serve(() => new Response("ok"));
  await (await fetchWithRetry(server.url, {}, policy)).body?.cancel();
  await (await fetchWithRetry(server.url, { headers: { "User-Agent": "test/1" } }, policy)).body
    ?.cancel();
  assert.equal(server.requests[0].headers.get("user-agent"), USER_AGENT);
  assert.equal(server.requests[1].headers.get("user-agent"), "test/1");
});

Deno.test("the caller's abort stops retrying at once and rejects with its reason", async () => {
  await using server = serve(() => new Response("down", { status: 503 }));
  const controller = new AbortController();
  const reason = new Error("shutting down");
  const error = await fetchWithRetry(server.url, { signal: controller.signal }, policy, {
    sleep: () => {
      controller.abort(reason);
      return Promise.reject(reason);
    },
  }).then(() => null, (error) => error);
  assert.equal(error, reason);
  assert.equal(server.requests.length, 1);
});

Deno.test("the source's rate limit spaces requests through the cache's token bucket", async () => {
  let now = 1_700_000_000_000;
  const cache = new MemoryCache({ now: () => now });
  await using server = serve(() => new Response("ok"));
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    now += ms;
    return Promise.resolve();
  };
  const limited: RetryPolicy = {
    ...policy,
    rateLimit: {
      cache,
      key: "test:source",
      rule: { capacity: 1, refillPerSecond: 2 },
      maxWaitMs: 1_000,
    },
  };
  for (let i = 0; i < 3; i++) {
    await (await fetchWithRetry(server.url, {}, limited, { sleep })).body?.cancel();
  }
  assert.deepEqual(waits, [500, 500]);
  assert.equal(server.requests.length, 3);
});

Deno.test("a rate-limit wait beyond maxWaitMs gives up before sending anything", async () => {
  const cache = new MemoryCache({ now: () => 0 });
  await using server = serve(() => new Response("ok"));
  const limited: RetryPolicy = {
    ...policy,
    rateLimit: {
      cache,
      key: "test:slow",
      rule: { capacity: 1, refillPerSecond: 0.1 },
      maxWaitMs: 5_000,
    },
  };
  const { sleep } = recordingSleep();
  await (await fetchWithRetry(server.url, {}, limited, { sleep })).body?.cancel();
  const error = await fetchWithRetry(server.url, {}, limited, { sleep })
    .then(() => null, (error) => error);
  assert.ok(error instanceof FetchError);
  assert.equal(error.attempts, 0);
  assert.match(error.message, /rate limit test:slow: no request slot .* within 5000 ms/);
  assert.equal(server.requests.length, 1);
});

Deno.test("readBodyLimited: whole bodies, declared and streamed oversize", async () => {
  const bytes = await readBodyLimited(new Response("hello"), 5);
  assert.equal(new TextDecoder().decode(bytes), "hello");
  await assert.rejects(
    readBodyLimited(new Response("hello", { headers: { "Content-Length": "5" } }), 4),
    BodyTooLarge,
  );
  const chunks = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(1_000));
    },
  });
  // An endless body: refused after the limit, never read to the end.
  await assert.rejects(readBodyLimited(new Response(chunks), 10_000), /exceeds 10000 bytes/);
  assert.equal((await readBodyLimited(new Response(null, { status: 204 }), 1)).byteLength, 0);
});
