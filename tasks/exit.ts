/** Ends a command-line entry with one clear line and no stack trace. */
export function exitWithError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`craveny: ${message}`);
  Deno.exit(1);
}
