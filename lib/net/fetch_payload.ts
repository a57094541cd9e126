// The step every web source shares: fetch a URL (with retries) into a FetchedPayload to archive.
import type { FetchedPayload } from "./fetched.ts";
import { fetchBytes, type FetchDeps, type RetryPolicy } from "./http_fetch.ts";
import { redactUrl } from "./redact_url.ts";

export interface PayloadRequest {
  /** Adapter name recorded with the payload ("yahoo", "stooq", …). */
  source: string;
  url: string;
  policy: RetryPolicy;
  /** Larger bodies are refused (FetchError), never buffered. */
  maxBytes: number;
  headers?: HeadersInit;
  signal?: AbortSignal;
  deps?: FetchDeps;
}

/**
 * GETs `url` into a payload. The URL recorded is the one requested (not a redirect target), with
 * secrets redacted: it identifies the request in raw_payload's (source, url, sha256) key.
 */
export async function fetchPayload(request: PayloadRequest): Promise<FetchedPayload> {
  const fetched = await fetchBytes(
    request.url,
    { headers: request.headers, signal: request.signal },
    request.policy,
    request.maxBytes,
    request.deps,
  );
  return {
    source: request.source,
    url: redactUrl(request.url),
    contentType: fetched.headers.get("content-type"),
    body: fetched.body,
    fetchedAt: new Date((request.deps?.now ?? Date.now)()),
  };
}
