// Several real processes share the scheduled jobs (issue 9): each tick of each job runs exactly
// once, a process killed mid-job is taken over at the next tick with nothing duplicated or half
// written, and a process that stalls past its lock's TTL commits nothing after the takeover.
// Each process is tests/support/tick_process.ts: the real app context and the real tick function.
import assert from "node:assert/strict";
import { deleteRedisNamespace } from "../support/cache.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { tempDir } from "../support/temp_dir.ts";
import { JOB_NAMES } from "../../lib/jobs/job.ts";

const root = new URL("../..", import.meta.url).pathname;
const databaseUrl = Deno.env.get("DATABASE_URL")?.trim();
const redisUrl = Deno.env.get("REDIS_URL")?.trim();

const TICK_MS = 1_500;
const LOCK_TTL_MS = 1_000;

interface Event {
  event: string;
  [field: string]: unknown;
}

/** One tick_process.ts child; its stdout events are collected as they arrive. */
class TickProcess {
  readonly events: Event[] = [];
  readonly #child: Deno.ChildProcess;
  readonly #drained: Promise<unknown>;
  #stderr = "";
  #waiters: (() => void)[] = [];

  constructor(env: Record<string, string>) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tests/support/tick_process.ts"],
      cwd: root,
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#drained = Promise.all([this.#readEvents(), this.#readStderr()]);
  }

  get pid(): number {
    return this.#child.pid;
  }

  async #readEvents() {
    let pending = "";
    for await (const chunk of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const parsed = JSON.parse(line);
        if (typeof parsed.event === "string") this.events.push(parsed);
      }
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  async #readStderr() {
    for await (const chunk of this.#child.stderr.pipeThrough(new TextDecoderStream())) {
      this.#stderr += chunk;
    }
  }

  /** The first event matching `test`, waiting for it up to `timeoutMs`. */
  async waitFor(test: (event: Event) => boolean, timeoutMs = 30_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.events.find(test);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`process ${this.pid}: no such event; stderr:\n${this.#stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async start(schedule: { firstTick: number; tickMs: number; ticks: number }) {
    const writer = this.#child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(schedule) + "\n"));
    await writer.close();
  }

  kill(signal: Deno.Signal) {
    this.#child.kill(signal);
  }

  /** Exit code once the process has ended and its output is read. */
  async exit(): Promise<number> {
    const { code } = await this.#child.status;
    await this.#drained;
    return code;
  }

  outcomes(): Event[] {
    return this.events.filter((event) => event.event === "outcome");
  }
}

interface Mode {
  name: string;
  redis: string;
}

/** Starts `count` processes on one database, waits until each is ready, and starts their ticks. */
async function startProcesses(
  db: TestDatabase,
  mode: Mode,
  count: number,
  extra: Record<string, string>,
  ticks: number,
): Promise<{ processes: TickProcess[]; cleanup: () => Promise<void> }> {
  const url = new URL(databaseUrl!);
  url.pathname = `/${db.location}`;
  const prefix = `craveny-ops-test:${crypto.randomUUID()}:`;
  const dirs = await Promise.all(Array.from({ length: count }, () => tempDir("craveny-ops-")));
  const processes = dirs.map((dir, index) =>
    new TickProcess({
      DATABASE_URL: url.href,
      REDIS_URL: mode.redis,
      REDIS_PREFIX: prefix,
      MILVUS_ADDRESS: "",
      DATA_DIR: dir.path,
      JOB_LOCK_TTL_MS: String(LOCK_TTL_MS),
      LOG_LEVEL: "warn",
      // Processes never fire a tick at the same instant; these ones are 150 ms apart.
      TICK_DELAY_MS: String(index * 150),
      ...extra,
    })
  );
  const cleanup = async () => {
    for (const process of processes) {
      try {
        process.kill("SIGKILL");
      } catch {
        // already ended
      }
      await process.exit();
    }
    if (mode.redis) await deleteRedisNamespace(mode.redis, prefix);
    for (const dir of dirs) await dir[Symbol.asyncDispose]();
  };
  try {
    await Promise.all(processes.map((process) => process.waitFor((e) => e.event === "ready")));
    // The first tick on a whole tick boundary, as cron ticks are, shortly after all are ready.
    const firstTick = Math.ceil((Date.now() + 300) / TICK_MS) * TICK_MS;
    await Promise.all(
      processes.map((process) => process.start({ firstTick, tickMs: TICK_MS, ticks })),
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { processes, cleanup };
}

interface RunRow {
  id: number;
  status: string;
  host: string;
  error: string | null;
  started_at: Date;
}

async function runsOf(db: TestDatabase, job: string): Promise<RunRow[]> {
  return await db.sql<RunRow[]>`
    select id::int as id, status, host, error, started_at from job_run where job = ${job}
    order by started_at, id`;
}

/** Every item 1..items is written exactly once: three rows, all by one run. */
async function assertItemsWholeAndOnce(db: TestDatabase, items: number) {
  const rows = await db.sql<{ item: number; parts: number; runs: number }[]>`
    select item, count(*)::int as parts, count(distinct run_id)::int as runs
    from ops_probe group by item order by item`;
  assert.deepEqual(
    rows.map((row) => ({ ...row })),
    Array.from({ length: items }, (_, index) => ({ item: index + 1, parts: 3, runs: 1 })),
  );
}

/** Per tick and job at most one process ran; every other one was skipped. */
function assertOncePerTick(outcomes: Event[]) {
  const ran = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.status === "skipped") {
      assert.match(String(outcome.reason), /another run holds the lock|this tick already ran/);
      continue;
    }
    const key = `${outcome.job}@${outcome.tick}`;
    ran.set(key, (ran.get(key) ?? 0) + 1);
  }
  for (const [key, count] of ran) assert.equal(count, 1, `${key} ran ${count} times`);
  return ran;
}

const modes: Mode[] = databaseUrl
  ? [...(redisUrl ? [{ name: "Postgres and Redis", redis: redisUrl }] : []), {
    name: "Postgres only",
    redis: "",
  }]
  : [];

if (modes.length === 0) {
  Deno.test("several processes share the jobs", () => {
    // Embedded mode is one process by construction: its data directory's lock file keeps a
    // second one out (tests/ops/startup_test.ts).
    console.log("skipped: DATABASE_URL is not set; processes can only share a real Postgres");
  });
}

for (const mode of modes) {
  Deno.test(`several processes share the jobs (${mode.name})`, async (t) => {
    await using db = await openTestDatabase();
    await db.sql`
      create table ops_probe (item int not null, part int not null, run_id bigint not null,
        written_at timestamptz not null default now())`;

    await t.step("3 processes × 3 ticks: every job runs exactly once per tick", async () => {
      const ticks = 3;
      const { processes, cleanup } = await startProcesses(
        db,
        mode,
        3,
        { TICK_JOBS: "quick" },
        ticks,
      );
      try {
        for (const process of processes) assert.equal(await process.exit(), 0);
        const outcomes = processes.flatMap((process) => process.outcomes());
        assert.equal(outcomes.length, 3 * ticks * JOB_NAMES.length);
        const ran = assertOncePerTick(outcomes);
        for (const job of JOB_NAMES) {
          for (let tick = 0; tick < ticks; tick++) {
            assert.equal(ran.get(`${job}@${tick}`), 1, `${job} tick ${tick} did not run`);
          }
          const runs = await runsOf(db, job);
          assert.equal(runs.length, ticks, `${job}: ${runs.length} runs for ${ticks} ticks`);
          assert.ok(runs.every((run) => run.status === "succeeded"));
        }
      } finally {
        await cleanup();
      }
    });

    await t.step("a process killed mid-job: the next tick runs elsewhere, whole", async () => {
      await db.sql`truncate ops_probe, job_run`;
      const items = 5;
      const { processes, cleanup } = await startProcesses(db, mode, 3, {
        TICK_JOBS: "slow",
        SLOW_ITEMS: String(items),
        SLOW_ITEM_MS: "300",
      }, 4);
      try {
        const second = await Promise.any(
          processes.map(async (process) => {
            await process.waitFor((e) => e.event === "item" && e.item === 2);
            return process;
          }),
        );
        // Into the next item's transaction (300 ms of work, then three inserts 20 ms apart).
        await new Promise((resolve) => setTimeout(resolve, 320));
        second.kill("SIGKILL");
        const killedRun = (await second.waitFor((e) => e.event === "item")).runId as number;
        const survivors = processes.filter((process) => process !== second);
        for (const process of survivors) assert.equal(await process.exit(), 0);

        await assertItemsWholeAndOnce(db, items);
        const runs = await runsOf(db, "crawl");
        const killed = runs.find((run) => run.id === killedRun)!;
        assert.equal(killed.status, "interrupted");
        assert.match(killed.error ?? "", /^abandoned: /);
        const later = runs.filter((run) => run.id !== killedRun);
        assert.ok(later.length >= 1);
        assert.ok(later.every((run) => run.status === "succeeded" && run.host !== killed.host));
        assert.ok(later.every((run) => run.started_at > killed.started_at));
        // Every run but the killed one reported its outcome: none started twice in a tick.
        const outcomes = survivors.flatMap((process) => process.outcomes());
        assertOncePerTick(outcomes);
        assert.equal(
          outcomes.filter((outcome) => outcome.status !== "skipped").length,
          later.length,
        );
      } finally {
        await cleanup();
      }
    });

    if (!mode.redis) return;
    // Postgres alone releases a lock only with its session: a stalled process keeps it.
    await t.step(
      "a process stalled past its lock's TTL commits nothing after the takeover",
      async () => {
        await db.sql`truncate ops_probe, job_run`;
        const items = 4;
        const { processes, cleanup } = await startProcesses(db, mode, 3, {
          TICK_JOBS: "slow",
          SLOW_ITEMS: String(items),
          SLOW_ITEM_MS: "700",
        }, 4);
        try {
          const stalled = await Promise.any(
            processes.map(async (process) => {
              await process.waitFor((e) => e.event === "item" && e.item === 1);
              return process;
            }),
          );
          // Stopped in its 700 ms of work before item 2: it has checked item 2 is not written yet.
          stalled.kill("SIGSTOP");
          const staleRun = (await stalled.waitFor((e) => e.event === "item")).runId as number;
          const others = processes.filter((process) => process !== stalled);
          await Promise.any(
            others.map((process) =>
              process.waitFor((e) => e.event === "item" && e.item === 2, 15_000)
            ),
          );
          stalled.kill("SIGCONT");
          for (const process of processes) {
            assert.equal(await process.exit(), 0);
          }

          await assertItemsWholeAndOnce(db, items);
          const written = await db.sql<{ item: number }[]>`
          select distinct item from ops_probe where run_id = ${staleRun} order by item`;
          assert.deepEqual(written.map((row) => row.item), [1], "nothing after the takeover");
          const [stale] = await db.sql<RunRow[]>`
          select id::int as id, status, host, error, started_at from job_run where id = ${staleRun}`;
          assert.equal(stale.status, "interrupted");
          assert.match(stale.error ?? "", /^abandoned: /, "the takeover's record stands");
          const staleOutcome = stalled.outcomes().find((outcome) => outcome.runId === staleRun);
          assert.equal(staleOutcome?.status, "interrupted");
          assertOncePerTick(processes.flatMap((process) => process.outcomes()));
        } finally {
          await cleanup();
        }
      },
    );
  });
}
