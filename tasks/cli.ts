// What every operator task (`deno task job|import|replay|stocks|user|vectors|…`) shares: one
// entry point that answers -h/--help, tells an operator's mistake (exit 2, with the usage) from
// a failure (exit 1, one line), stops long work cleanly on Ctrl-C (exit 130), and prints progress
// on stderr; plus argument parsing for the tasks with subcommands.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError } from "../lib/http/errors.ts";
import { createLogger } from "../lib/log.ts";
import { exitWithError } from "./exit.ts";

/** A mistake in what the operator asked for: printed with the usage, exit 2. */
export class UsageError extends Error {}

/** The exit status of a task stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/** Whether the arguments ask for the usage text. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

/** A mistake in what the operator asked for, rather than a failure to do it. */
function isOperatorMistake(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof RangeError ||
    (error instanceof HttpError && error.status < 500);
}

/**
 * The entry point of a task script: `-h`/`--help` anywhere prints `usage` (which starts with
 * "usage: deno task NAME") and exits 0 before anything is opened; otherwise `main` runs and its
 * answer is the exit status. An operator's mistake prints its message and the usage (exit 2);
 * anything else one line (exit 1).
 */
export function runTask(
  usage: string,
  main: (args: string[]) => Promise<number>,
  args: string[] = Deno.args,
): void {
  if (wantsHelp(args)) {
    console.log(usage);
    Deno.exit(0);
  }
  main(args).then(Deno.exit, (error) => {
    if (!isOperatorMistake(error)) exitWithError(error);
    console.error(`craveny: ${error.message}\n\n${usage}`);
    Deno.exit(2);
  });
}

/**
 * Ctrl-C (SIGINT) or SIGTERM while a long task runs: `signal` aborts, once, with a notice on
 * stderr, and the task stops at its next safe point — a committed batch, never half of one —
 * instead of dying mid-write. Dispose of it when the work is done.
 */
export function stopOnInterrupt(): { signal: AbortSignal } & Disposable {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) return;
    console.error("\nstopping at the next safe point (what is done so far is kept)…");
    controller.abort(new Error("interrupted"));
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const name of signals) Deno.addSignalListener(name, stop);
  return {
    signal: controller.signal,
    [Symbol.dispose]: () => {
      for (const name of signals) Deno.removeSignalListener(name, stop);
    },
  };
}

/**
 * A status line on stderr every `intervalMs` while long work runs: redrawn in place on a
 * terminal, one plain line per interval otherwise (logs, pipes). `describe` may query; a failed
 * query skips that update.
 */
export function showProgress(
  describe: () => string | Promise<string>,
  intervalMs = 5_000,
): Disposable {
  const terminal = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let busy = false;
  let drawn = false;
  let stopped = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const line = await describe();
      // The work may have ended while the line was being put together.
      if (stopped) return;
      if (terminal) {
        Deno.stderr.writeSync(encoder.encode(`\r\x1b[K${line}`));
        drawn = true;
      } else console.error(line);
    } catch {
      // Progress is a courtesy: the work itself reports its errors.
    } finally {
      busy = false;
    }
  }, intervalMs);
  return {
    [Symbol.dispose]: () => {
      stopped = true;
      clearInterval(timer);
      if (drawn) Deno.stderr.writeSync(encoder.encode("\r\x1b[K"));
    },
  };
}

/** One subcommand: its output on success. */
export type Command = (app: AppContext, args: string[]) => Promise<string>;

export function options<const T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  spec: T,
) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}`);
  return positionals[0];
}

/** Runs `COMMAND ARGS…` from `commands` on the configured app; answers the exit code. */
export async function runCommand(
  commands: Record<string, Command>,
  [name, ...args]: string[],
): Promise<number> {
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    throw new UsageError(name ? `unknown command ${JSON.stringify(name)}` : "expected a COMMAND");
  }
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger("warn"));
  try {
    console.log(await command(app, args));
    return 0;
  } finally {
    await app.close();
  }
}
