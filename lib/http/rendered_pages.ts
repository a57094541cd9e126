// Rendered HTML kept in this process: least recently used first out once the total size passes
// `maxBytes` (query strings are the client's choice, so entries are bounded by bytes, not count),
// and nothing older than `ttlMs` is served even if no data version change came through.

export interface RenderedPage {
  body: Uint8Array<ArrayBuffer>;
  /** The response's own headers (content-type, anything a route set), without content-length. */
  headers: [string, string][];
}

interface Entry {
  page: RenderedPage;
  expiresAt: number;
}

export interface RenderedPagesOptions {
  maxBytes: number;
  ttlMs: number;
  /** Milliseconds clock; tests pass a fake one. */
  now?: () => number;
}

export class RenderedPages {
  // Map iteration order is insertion order: re-inserting on read makes the first key the LRU.
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<RenderedPagesOptions>;
  #bytes = 0;

  constructor(options: RenderedPagesOptions) {
    this.#options = { ...options, now: options.now ?? Date.now };
  }

  get(key: string): RenderedPage | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    this.#remove(key, entry);
    if (entry.expiresAt <= this.#options.now()) return null;
    this.#add(key, entry);
    return entry.page;
  }

  set(key: string, page: RenderedPage): void {
    const existing = this.#entries.get(key);
    if (existing) this.#remove(key, existing);
    // A page bigger than the whole budget would only push everything else out.
    if (page.body.byteLength > this.#options.maxBytes) return;
    this.#add(key, { page, expiresAt: this.#options.now() + this.#options.ttlMs });
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#options.maxBytes) break;
      this.#remove(oldest, entry);
    }
  }

  /** Bytes of HTML held. */
  get bytes(): number {
    return this.#bytes;
  }

  #add(key: string, entry: Entry) {
    this.#entries.set(key, entry);
    this.#bytes += entry.page.body.byteLength;
  }

  #remove(key: string, entry: Entry) {
    this.#entries.delete(key);
    this.#bytes -= entry.page.body.byteLength;
  }
}
