// A wake-up call inside one process: writers say "something new", listeners go and look. Notices
// carry no payload because listeners read what is new from Postgres, the truth: a notice that is
// merged with another, or missed, loses nothing. Other processes' writes reach their listeners by
// polling (lib/live/prediction_stream.ts); this only makes this process's own writes show at once.

export interface NoticeListener {
  /** Something new was written. */
  notice(): void;
  /** The process is shutting down: stop and let go of the connection. */
  closed(): void;
}

export class Notifier {
  readonly #listeners = new Set<NoticeListener>();
  #closed = false;

  /** Starts delivering notices to `listener`; returns the function that stops it. */
  listen(listener: NoticeListener): () => void {
    if (this.#closed) {
      listener.closed();
      return () => {};
    }
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.#listeners]) listener.notice();
  }

  /** Tells every listener to stop (once); listeners added later are stopped at once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener.closed();
  }

  get listeners(): number {
    return this.#listeners.size;
  }
}
