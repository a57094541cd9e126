// Work a process runs in the background — scheduled ticks, the first-start sequence, runs an
// admin started from the console or the API — under one stop signal, so shutdown can stop all of
// it and wait until each run has reached a safe point and recorded itself.

export class BackgroundWork {
  readonly #controller = new AbortController();
  readonly #running = new Set<Promise<unknown>>();

  /** Aborted when the process starts shutting down. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Keeps `work` on the list `idle()` waits for; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    work.then(() => this.#running.delete(work), () => this.#running.delete(work));
    return work;
  }

  /** Asks every run to stop at its next safe point; nothing new should start after this. */
  stop(reason: Error): void {
    this.#controller.abort(reason);
  }

  /** Resolves once no tracked work is running (including work tracked while waiting). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
