// One client's stream of new live predictions as server-sent events. Each stream keeps its own
// cursor (the last prediction id it sent) and asks Postgres for what is newer:
// - at once when this process stores a live prediction (the Notifier);
// - every `pollMs` anyway, which is how predictions stored by other processes arrive. One indexed
//   range query per open stream every few seconds is cheap at dashboard scale; a shared poller per
//   process would be the next step if thousands of streams stayed open.
// A reconnecting client names the last id it saw and gets what it missed (the newest
// `replayLimit` at most). Ids are assigned at insert, so a transaction committing after a later
// one could be passed over; live predictions are single-row inserts by one job run at a time,
// which keeps that window to a race between two statements.
import type { AppContext } from "../context.ts";
import { latestPredictionId, liveResumePoint, liveSignalsAfter } from "../predictions/query.ts";
import { type LiveSignal, PREDICTION_EVENT } from "./signal.ts";
import { sseComment, sseEvent, sseRetry } from "./sse.ts";

export interface PredictionStreamOptions {
  /** A comment this often keeps proxies and browsers from closing an idle connection. */
  heartbeatMs: number;
  /** How often to look for predictions other processes stored. */
  pollMs: number;
  /** Most missed predictions sent on (re)connection: the newest ones. */
  replayLimit: number;
  /** How long a disconnected browser waits before reconnecting. */
  retryMs: number;
}

export const PREDICTION_STREAM_DEFAULTS: PredictionStreamOptions = {
  heartbeatMs: 15_000,
  pollMs: 3_000,
  replayLimit: 50,
  retryMs: 5_000,
};

/** Rows read per query while catching up. */
const BATCH = 100;

type StreamPorts = Pick<AppContext, "db" | "newPredictions" | "log">;

/**
 * The event stream for one client that last saw prediction `after` (undefined: nothing yet, so
 * only predictions stored from now on). It ends when the client goes away (the body is cancelled)
 * or the process shuts down (the Notifier closes).
 */
export async function openPredictionStream(
  app: StreamPorts,
  after: number | undefined,
  options: PredictionStreamOptions = PREDICTION_STREAM_DEFAULTS,
): Promise<ReadableStream<Uint8Array>> {
  const { sql } = app.db;
  let cursor = after === undefined
    ? await latestPredictionId(sql)
    : await liveResumePoint(sql, after, options.replayLimit);
  const encoder = new TextEncoder();
  const timers: ReturnType<typeof setInterval>[] = [];
  let stopListening = () => {};
  let closed = false;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  /** Stops timers and notices; false when already stopped. */
  const stop = (): boolean => {
    if (closed) return false;
    closed = true;
    timers.forEach(clearInterval);
    stopListening();
    return true;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const end = () => {
        if (stop()) controller.close();
      };
      const readNew = async () => {
        do {
          readAgain = false;
          let rows: LiveSignal[];
          do {
            rows = await liveSignalsAfter(sql, cursor, BATCH);
            for (const row of rows) {
              send(sseEvent({ id: row.id, event: PREDICTION_EVENT, data: JSON.stringify(row) }));
              cursor = row.id;
            }
          } while (rows.length === BATCH && !closed);
        } while (readAgain && !closed);
      };
      // One read at a time; notices arriving meanwhile make it look once more when done.
      const look = () => {
        if (closed) return;
        if (reading) {
          readAgain = true;
          return;
        }
        reading = readNew()
          .catch((error) => app.log.warn("prediction stream read failed", { error }))
          .finally(() => reading = null);
      };

      send(sseRetry(options.retryMs));
      stopListening = app.newPredictions.listen({ notice: look, closed: end });
      if (closed) return; // shutting down
      timers.push(setInterval(() => send(sseComment("heartbeat")), options.heartbeatMs));
      timers.push(setInterval(look, options.pollMs));
      look();
    },
    cancel() {
      // The client went away (Deno cancels the body of a response it can no longer send).
      stop();
    },
  });
}
