import assert from "node:assert/strict";
import { createLogger, withLogContext } from "./log.ts";

Deno.test("withLogContext tags every line written while the work runs, across awaits", async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", (line) => lines.push(JSON.parse(line)));
  await withLogContext({ requestId: "req-1" }, async () => {
    log.info("before");
    await new Promise((resolve) => setTimeout(resolve, 1));
    log.child({ component: "x" }).warn("after a timer");
    // Nested context adds fields; a child's own fields and a line's fields win over it.
    await withLogContext({ job: "crawl" }, () => {
      log.child({ requestId: "own" }).info("nested", { job: "explicit" });
      return Promise.resolve();
    });
  });
  log.info("outside");
  assert.deepEqual(
    lines.map(({ message, requestId, job, component }) => ({ message, requestId, job, component })),
    [
      { message: "before", requestId: "req-1", job: undefined, component: undefined },
      { message: "after a timer", requestId: "req-1", job: undefined, component: "x" },
      { message: "nested", requestId: "own", job: "explicit", component: undefined },
      { message: "outside", requestId: undefined, job: undefined, component: undefined },
    ],
  );
});

Deno.test("concurrent contexts do not mix", async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", (line) => lines.push(JSON.parse(line)));
  const work = (id: string, delayMs: number) =>
    withLogContext({ requestId: id }, async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      log.info(id);
    });
  await Promise.all([work("a", 5), work("b", 1), work("c", 3)]);
  for (const line of lines) assert.equal(line.requestId, line.message);
  assert.equal(lines.length, 3);
});
