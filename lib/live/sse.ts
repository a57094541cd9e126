// Server-sent events wire format (HTML Living Standard §9.2): pure text builders, and reading the
// id a reconnecting client says it saw last.

/** Drops line breaks: an id or event name must not start a field of its own. */
const oneLine = (text: string) => text.replace(/[\r\n]/g, "");

/** One event: its id and name, then the data, one `data:` line per line of it. */
export function sseEvent(event: { id?: number | string; event?: string; data: string }): string {
  let text = "";
  if (event.id !== undefined) text += `id: ${oneLine(String(event.id))}\n`;
  if (event.event !== undefined) text += `event: ${oneLine(event.event)}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment: ignored by EventSource, but traffic that keeps idle connections open. */
export function sseComment(text: string): string {
  return `: ${oneLine(text)}\n\n`;
}

/** How long a disconnected EventSource waits before reconnecting. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}

/**
 * The prediction id a client last saw: the `Last-Event-ID` header an EventSource sends when it
 * reconnects, else the `after` the page gave it for its first connection. Anything that is not a
 * non-negative safe integer counts as nothing seen.
 */
export function lastSeenId(lastEventId: string | null, after: string | null): number | undefined {
  for (const value of [lastEventId, after]) {
    const text = value?.trim();
    if (text && /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  }
  return undefined;
}
