// `main.ts` with a bot token, as an operator runs it: a token Telegram rejects costs one warning
// line and the bot, never the app; a polling bot is stopped on SIGTERM before the process exits.
import assert from "node:assert/strict";
import { startFakeTelegram } from "./support/fake_telegram.ts";
import { messageUpdate, waitFor } from "./support/telegram.ts";
import { tempDir } from "./support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

interface Running {
  url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

/** main.ts on embedded adapters with `env`, once it prints its "craveny listening" line. */
async function startMain(env: Record<string, string>, dataDir: string): Promise<Running> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: root,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      MILVUS_ADDRESS: "",
      JOBS_ENABLED: "false",
      PORT: "0",
      HOST: "127.0.0.1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = (stream: ReadableStream<Uint8Array>) =>
    (async () => {
      for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    })();
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const lines = () =>
    text.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  try {
    const listening = await waitFor(
      () => lines().find((line) => line.message === "craveny listening"),
      "the listening line",
      60_000,
    );
    return {
      url: listening.url,
      output: () => text,
      async stop() {
        child.kill("SIGTERM");
        const { code } = await child.status;
        await drained;
        return code;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    await drained;
    throw new Error(`${error}\n${text}`);
  }
}

Deno.test("main.ts with a token Telegram rejects: one clear warning, the app serves", async () => {
  await using tg = startFakeTelegram();
  tg.rejectToken();
  await using temp = await tempDir("craveny-telegram-");
  const app = await startMain({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
  }, temp.path);
  try {
    const report = await waitFor(async () => {
      const body = await (await fetch(`${app.url}/health`)).json();
      return body.checks.telegram.detail === "token_rejected" && body;
    }, "/health to report the rejected token");
    assert.equal(report.status, "degraded");
    assert.equal(report.checks.database.status, "up");
    const page = await fetch(`${app.url}/`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
  } finally {
    assert.equal(await app.stop(), 0);
  }
  const warnings = app.output().split("\n").filter((line) => line.includes('"level":"warn"'));
  assert.equal(warnings.length, 1, app.output());
  assert.match(warnings[0], /telegram rejected TELEGRAM_BOT_TOKEN: the bot is off/);
  assert.ok(!app.output().includes(tg.token.split(":")[1]), "the token never reaches the logs");
});

Deno.test("main.ts polling: answers a command, and SIGTERM stops polling before exit", async () => {
  await using tg = startFakeTelegram({ limits: false });
  await using temp = await tempDir("craveny-telegram-");
  const app = await startMain({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_MODE: "polling",
  }, temp.path);
  let code: number;
  let stoppedAt = 0;
  try {
    tg.pushUpdate(messageUpdate(77, "/stock AAPL"));
    const reply = await waitFor(() => tg.messagesTo(77)[0], "the /stock answer", 30_000);
    assert.match(reply.plainText, /^AAPL · Apple/);
  } finally {
    stoppedAt = Date.now();
    code = await app.stop();
  }
  assert.equal(code, 0, app.output());
  assert.match(app.output(), /"message":"telegram bot polling for updates"/);
  // After SIGTERM exactly one getUpdates came: bot.stop() confirming the handled update (the long
  // poll it aborted is still held open by the fake server, so it is not recorded yet).
  const afterStop = tg.calls.filter((c) => c.method === "getUpdates" && c.at >= stoppedAt);
  assert.deepEqual(afterStop.map((c) => c.status), [200]);
  assert.equal(tg.pendingUpdates, 0);
});
