// /api/stream/predictions: new live predictions as server-sent events (text/event-stream), for the
// dashboard's live list. `id:` is the prediction id, so a reconnecting EventSource's Last-Event-ID
// (or `?after=ID` on a first connection) gets what it missed; a comment every 15 s keeps the
// connection open through proxies.
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import {
  openPredictionStream,
  PREDICTION_STREAM_DEFAULTS,
  type PredictionStreamOptions,
} from "../live/prediction_stream.ts";
import { lastSeenId } from "../live/sse.ts";

export function streamRouter(
  app: AppContext,
  options: PredictionStreamOptions = PREDICTION_STREAM_DEFAULTS,
): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  router.get("/predictions", async (c) => {
    const after = lastSeenId(c.req.header("last-event-id") ?? null, c.req.query("after") ?? null);
    const stream = await openPredictionStream(app, after, options);
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // nginx buffers proxied responses by default, which would hold events back.
        "x-accel-buffering": "no",
      },
    });
  });
  return router;
}
