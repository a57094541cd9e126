// The prediction stream over real HTTP: what a browser's EventSource gets on (re)connection, as
// predictions are stored in this process and in others, while idle, and when the server stops.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import type { PredictionStreamOptions } from "../live/prediction_stream.ts";
import { upsertStocks } from "../stocks/store.ts";
import { startTestApp, type TestApp } from "../../tests/support/app.ts";
import { openTestContext, type TestContext } from "../../tests/support/context.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import { streamRouter } from "./stream.ts";

interface StreamEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Reads server-sent events off a response body, one block at a time. */
class EventReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #ended = false;

  constructor(response: Response) {
    this.#reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The next event (or comment) matching `wanted`, skipping others; fails after `timeoutMs`. */
  async next(wanted: (event: StreamEvent) => boolean, timeoutMs = 3_000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const end = this.#buffer.indexOf("\n\n");
      if (end !== -1) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event: StreamEvent = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) event.comment = line.slice(1).trim();
          else {
            const [field, ...rest] = line.split(": ");
            event[field as keyof StreamEvent] = rest.join(": ");
          }
        }
        if (wanted(event)) return event;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`no matching event within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), left);
      });
      const read = await Promise.race([this.#reader.read(), timeout]);
      clearTimeout(timer);
      if (read === "timeout") continue;
      if (read.done) {
        this.#ended = true;
        assert.fail("the stream ended");
      }
      this.#buffer += read.value;
    }
  }

  /** Resolves once the server ends the stream. */
  async end(timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { done } = await this.#reader.read();
      if (done) {
        this.#ended = true;
        return;
      }
    }
    assert.fail("the stream did not end");
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

const prediction = (event: StreamEvent) => event.event === "prediction";

async function seed(sql: Sql) {
  await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
  ]);
  await addTestModels(sql, [{ name: "momentum" }]);
}

let day = 0;
/** Stores a live (or replay) prediction the way another writer would: no notice. */
async function store(sql: Sql, symbol: string, mode: "live" | "replay" = "live"): Promise<number> {
  day++;
  const [id] = await addTestPredictions(sql, [{
    model: "momentum",
    symbol,
    asOf: new Date(Date.UTC(2024, 0, 1 + day, 21)).toISOString(),
    direction: "up",
    confidence: 0.73,
    mode,
  }]);
  return id;
}

/** Notices only (no polling within a test), a quick heartbeat, at most 2 replayed. */
const NOTICES: PredictionStreamOptions = {
  heartbeatMs: 50,
  pollMs: 60_000,
  replayLimit: 2,
  retryMs: 1_000,
};
/** Polling every 100 ms, as other processes' predictions arrive. */
const POLLING: PredictionStreamOptions = { ...NOTICES, heartbeatMs: 60_000, pollMs: 100 };

async function withStream(run: (app: TestApp, context: TestContext) => Promise<void>) {
  await using context = await openTestContext();
  await seed(context.db.sql);
  const app = await startTestApp({
    app: context,
    extend(hono) {
      hono.route("/test/notices", streamRouter(context, NOTICES));
      hono.route("/test/polling", streamRouter(context, POLLING));
    },
  });
  try {
    await run(app, context);
  } finally {
    await app.close();
  }
}

Deno.test("prediction stream: an event stream that starts with a retry delay", async () => {
  await withStream(async (app) => {
    const response = await fetch(`${app.url}/api/stream/predictions`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache, no-transform");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    const events = new EventReader(response);
    assert.deepEqual(await events.next(() => true), { retry: "5000" });
    await events.cancel();
  });
});

Deno.test("prediction stream: a live prediction stored in this process arrives at once", async () => {
  await withStream(async (app, context) => {
    const { sql } = context.db;
    const before = await store(sql, "AAPL");
    const events = new EventReader(await fetch(`${app.url}/test/notices/predictions`));
    await events.next((event) => event.retry !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 300)); // its first look has found nothing
    // A replay prediction is history, not news: it is never sent.
    await store(sql, "MSFT", "replay");
    const id = await store(sql, "MSFT");
    context.newPredictions.notify(); // what lib/predict/predict.ts does after a live insert
    const event = await events.next(prediction, 2_000);
    assert.equal(event.id, String(id), "nothing from before the connection, no replay call");
    assert.ok(Number(event.id) > before);
    const data = JSON.parse(event.data ?? "");
    assert.deepEqual(Object.keys(data).sort(), [
      "asOf",
      "confidence",
      "direction",
      "horizon",
      "id",
      "model",
      "symbol",
    ]);
    assert.equal(data.symbol, "MSFT");
    assert.equal(data.model, "momentum");
    assert.equal(data.direction, "up");
    assert.equal(data.confidence, 0.73);
    await events.cancel();
  });
});

Deno.test("prediction stream: Last-Event-ID replays what was missed, newest few at most", async () => {
  await withStream(async (app, context) => {
    const { sql } = context.db;
    const [first, second, third] = [
      await store(sql, "AAPL"),
      await store(sql, "MSFT"),
      await store(sql, "AAPL"),
    ];
    const resumed = new EventReader(
      await fetch(`${app.url}/test/notices/predictions`, {
        headers: { "last-event-id": String(first) },
      }),
    );
    assert.equal((await resumed.next(prediction)).id, String(second));
    assert.equal((await resumed.next(prediction)).id, String(third));
    await resumed.cancel();

    // A client far behind gets the newest `replayLimit` (2), not the whole history; the header
    // wins over the page's ?after.
    const behind = new EventReader(
      await fetch(`${app.url}/test/notices/predictions?after=${third}`, {
        headers: { "last-event-id": "0" },
      }),
    );
    assert.equal((await behind.next(prediction)).id, String(second));
    assert.equal((await behind.next(prediction)).id, String(third));
    await behind.cancel();

    // The dashboard's first connection: ?after= the last id its HTML knew.
    const page = new EventReader(
      await fetch(`${app.url}/api/stream/predictions?after=${second}`),
    );
    assert.equal((await page.next(prediction)).id, String(third));
    await page.cancel();
  });
});

Deno.test("prediction stream: a heartbeat comment keeps an idle connection open", async () => {
  await withStream(async (app) => {
    const events = new EventReader(await fetch(`${app.url}/test/notices/predictions`));
    assert.equal(
      (await events.next((event) => event.comment !== undefined, 1_000)).comment,
      "heartbeat",
    );
    assert.equal(
      (await events.next((event) => event.comment !== undefined, 1_000)).comment,
      "heartbeat",
    );
    await events.cancel();
  });
});

Deno.test("prediction stream: predictions stored by another process arrive by polling", async () => {
  await withStream(async (app, context) => {
    const events = new EventReader(await fetch(`${app.url}/test/polling/predictions`));
    await events.next((event) => event.retry !== undefined);
    const id = await store(context.db.sql, "AAPL"); // no notice in this process
    assert.equal((await events.next(prediction, 2_000)).id, String(id));
    await events.cancel();
  });
});

Deno.test("prediction stream: it lets go when the client leaves and ends on shutdown", async () => {
  await withStream(async (app, context) => {
    const leaving = new EventReader(await fetch(`${app.url}/test/notices/predictions`));
    await leaving.next((event) => event.retry !== undefined);
    assert.equal(context.newPredictions.listeners, 1);
    await leaving.cancel();
    const deadline = Date.now() + 2_000;
    while (context.newPredictions.listeners > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(context.newPredictions.listeners, 0, "the stream stopped listening");

    const staying = new EventReader(await fetch(`${app.url}/test/notices/predictions`));
    await staying.next((event) => event.retry !== undefined);
    context.newPredictions.close(); // what main.ts does before server.shutdown()
    await staying.end();
    assert.ok(staying.ended);
  });
});
