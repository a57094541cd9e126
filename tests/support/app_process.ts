// `deno run -A main.ts` as a real process for the start-up and operations tests: its output is
// drained as it comes (a full pipe would block its logs) and its JSON log lines can be waited for.
import assert from "node:assert/strict";

const root = new URL("../..", import.meta.url).pathname;

export type LogEntry = Record<string, unknown> & { message: string };

export class AppProcess {
  readonly #child: Deno.ChildProcess;
  #stdout = "";
  #stderr = "";
  readonly #drained: Promise<unknown>;

  /**
   * Starts main.ts with the embedded defaults (empty service URLs win over whatever the test
   * runner exports), no schedules, and `env` on top.
   */
  constructor(env: Record<string, string>) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main.ts"],
      cwd: root,
      env: {
        DATABASE_URL: "",
        REDIS_URL: "",
        MILVUS_ADDRESS: "",
        JOBS_ENABLED: "false",
        HOST: "127.0.0.1",
        PORT: "0",
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const drain = async (
      stream: ReadableStream<Uint8Array<ArrayBuffer>>,
      append: (text: string) => void,
    ) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) append(text);
    };
    this.#drained = Promise.all([
      drain(this.#child.stdout, (text) => void (this.#stdout += text)),
      drain(this.#child.stderr, (text) => void (this.#stderr += text)),
    ]);
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** Every JSON log line so far, stdout and stderr. */
  logs(): LogEntry[] {
    return this.output().split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
  }

  /** The first log line matching `test`, once printed. */
  async waitForLog(test: (entry: LogEntry) => boolean, timeoutMs = 30_000): Promise<LogEntry> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const entry = this.logs().find(test);
      if (entry) return entry;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`no such log line within ${timeoutMs} ms:\n${this.#stdout}\n${this.#stderr}`);
  }

  /** The base URL from the "craveny listening" line. */
  async listeningUrl(timeoutMs?: number): Promise<string> {
    const listening = (entry: LogEntry) => entry.message === "craveny listening";
    return String((await this.waitForLog(listening, timeoutMs)).url);
  }

  /** Everything it printed so far, stdout then stderr. */
  output(): string {
    return `${this.#stdout}\n${this.#stderr}`;
  }

  kill(signal: Deno.Signal): void {
    this.#child.kill(signal);
  }

  async exit(): Promise<{ code: number; stdout: string; stderr: string }> {
    const { code } = await this.#child.status;
    await this.#drained;
    return { code, stdout: this.#stdout, stderr: this.#stderr.trim() };
  }

  /** SIGTERM, then the exit code. */
  async stop(): Promise<number> {
    this.kill("SIGTERM");
    return (await this.exit()).code;
  }
}

/** A port nothing listens on (freed again at once). */
export function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}
