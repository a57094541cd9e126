// Rejected rows of an import: every one written to a CSV report (created on the first), the
// first few kept for the terminal.
import type { Rejection } from "../net/fetched.ts";

/** A CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `<dir>/<file stem>-<UTC time>.rejected.csv`: a name that never overwrites an earlier report. */
export function reportPath(dir: string, fileName: string, at: Date): string {
  const stem = fileName.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "") || "import";
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${dir.replace(/\/+$/, "")}/${stem}-${stamp}.rejected.csv`;
}

export class RejectionReport {
  readonly shown: Rejection[] = [];
  count = 0;
  #file: Deno.FsFile | null = null;
  #pending: Promise<void> = Promise.resolve();
  readonly #encoder = new TextEncoder();

  constructor(readonly path: string, readonly showFirst = 20) {}

  /** Records one rejection (writes are queued; `close` waits for them). */
  add(rejection: Rejection): void {
    this.count++;
    if (this.shown.length < this.showFirst) this.shown.push(rejection);
    const line = `${rejection.at},${csvField(rejection.reason)}\n`;
    this.#pending = this.#pending.then(async () => {
      if (!this.#file) {
        const dir = this.path.replace(/\/[^/]*$/, "");
        if (dir && dir !== this.path) await Deno.mkdir(dir, { recursive: true });
        this.#file = await Deno.open(this.path, { write: true, create: true, truncate: true });
        await this.#write("line,reason\n");
      }
      await this.#write(line);
    });
  }

  async #write(text: string): Promise<void> {
    const bytes = this.#encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += await this.#file!.write(bytes.subarray(written));
  }

  /** Flushes and closes the report; true when one was written. */
  async close(): Promise<boolean> {
    await this.#pending;
    this.#file?.close();
    this.#file = null;
    return this.count > 0;
  }
}
