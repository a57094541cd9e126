// Structured JSON logs: one object per line on stdout (errors on stderr).
import { AsyncLocalStorage } from "node:async_hooks";
import type { LogLevel } from "./config.ts";

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. a job name and run id). */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (RANK[level] >= RANK.warn) console.error(line);
  else console.log(line);
};

/** Fields of the work in progress (a request's id), for lines written by any logger during it. */
const logContext = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` so that every log line written while it runs — by code that was handed no tagged
 * logger, in callbacks and promises it starts — carries `fields` (e.g. the request id).
 */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, work);
}

function describe(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function createLogger(
  level: LogLevel = "info",
  sink: LogSink = consoleSink,
  base: LogFields = {},
): Logger {
  const write = (lineLevel: LogLevel, message: string, fields: LogFields = {}) => {
    if (RANK[lineLevel] < RANK[level]) return;
    const entry: LogFields = {
      time: new Date().toISOString(),
      level: lineLevel,
      message,
      ...logContext.getStore(),
      ...base,
    };
    for (const [key, value] of Object.entries(fields)) entry[key] = describe(value);
    sink(JSON.stringify(entry), lineLevel);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}
