// What `deno task backup` and `deno task restore` refuse or fail with: one line an operator can
// act on (the task prints it and exits 1).

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackupError";
  }
}
