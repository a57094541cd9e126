// What the operator tasks with subcommands (`deno task stocks …`, `deno task user …`) share:
// argument parsing, --help, and telling an operator's mistake (exit 2, with the usage) from a
// failure (exit 1, via exitWithError).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError } from "../lib/http/errors.ts";
import { createLogger } from "../lib/log.ts";

export class UsageError extends Error {}

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

/** A mistake in what the operator asked for, rather than a failure to do it. */
function isOperatorMistake(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof RangeError ||
    (error instanceof HttpError && error.status < 500);
}

/** Runs `COMMAND ARGS…` from `commands` on the configured app; answers the exit code. */
export async function runCommand(
  usage: string,
  commands: Record<string, Command>,
  [name, ...args]: string[],
): Promise<number> {
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    if (name === "--help" || name === "-h") {
      console.log(usage);
      return 0;
    }
    console.error(name ? `craveny: unknown command ${JSON.stringify(name)}\n${usage}` : usage);
    return 2;
  }
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger("warn"));
  try {
    console.log(await command(app, args));
    return 0;
  } catch (error) {
    if (!isOperatorMistake(error)) throw error;
    console.error(`craveny: ${error.message}\n${usage}`);
    return 2;
  } finally {
    await app.close();
  }
}
