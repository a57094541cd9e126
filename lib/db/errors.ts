// Errors the database layer raises for operators: one clear line each, never a URL or password.

/** The configured database could not be opened or reached at start-up. */
export class DatabaseStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseStartError";
  }
}

/** A migration file is invalid, was changed after being applied, or failed to apply. */
export class MigrationError extends Error {
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** The message of any thrown value, on one line. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").trim() || "unknown error";
}

/** Whether `error` is Postgres' unique violation (23505) of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const fields = error as { code?: unknown; constraint_name?: unknown } | null;
  return fields?.code === "23505" && fields.constraint_name === constraint;
}
