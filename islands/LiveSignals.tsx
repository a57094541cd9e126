// The dashboard's live list: the newest live predictions, server-rendered (so the list is there
// without JavaScript), then kept current from /api/stream/predictions. New predictions go on top,
// marked "new"; one polite status line counts them for screen readers instead of reading each out.
// EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed across a drop.
import { useEffect, useState } from "preact/hooks";
import { DirectionLabel } from "../components/DirectionLabel.tsx";
import { Confidence, Horizon } from "../components/PredictionFacts.tsx";
import { formatUtc } from "../components/UtcTime.tsx";
import {
  type LiveSignal,
  parseLiveSignal,
  PREDICTION_EVENT,
  PREDICTION_STREAM_PATH,
  prependSignals,
} from "../lib/live/signal.ts";
import { StockLink } from "../components/StockLink.tsx";

export interface LiveSignalsProps {
  /** Newest first. */
  signals: LiveSignal[];
  /** The last prediction id the page knew of: the stream starts after it. */
  after: number;
  /** Names of models that have earned trust: their calls are marked. */
  trusted: string[];
  /** Most predictions listed. */
  limit: number;
}

type Connection = "off" | "live" | "reconnecting";

export default function LiveSignals({ signals, after, trusted, limit }: LiveSignalsProps) {
  const [list, setList] = useState(signals);
  const [fresh, setFresh] = useState<number[]>([]);
  const [connection, setConnection] = useState<Connection>("off");

  useEffect(() => {
    const source = new EventSource(`${PREDICTION_STREAM_PATH}?after=${after}`);
    source.addEventListener("open", () => setConnection("live"));
    source.addEventListener("error", () => setConnection("reconnecting"));
    source.addEventListener(PREDICTION_EVENT, (event) => {
      const signal = parseLiveSignal((event as MessageEvent<string>).data);
      if (!signal) return;
      setList((current) => prependSignals(current, [signal], limit));
      setFresh((current) => current.includes(signal.id) ? current : [...current, signal.id]);
    });
    return () => source.close();
  }, []);

  return (
    <section class="panel live-signals" aria-labelledby="live-title">
      <h2 id="live-title">Live predictions</h2>
      <p class="muted">
        {connection === "off"
          ? "The newest live predictions. Reload the page to see newer ones."
          : connection === "live"
          ? "The newest live predictions; new ones appear here as the models make them."
          : "The connection dropped: reconnecting…"}
      </p>
      <p role="status" class="visually-hidden">
        {fresh.length === 0
          ? ""
          : `${fresh.length} new ${fresh.length === 1 ? "prediction" : "predictions"}`}
      </p>
      {list.length === 0 ? <p>No live predictions yet.</p> : (
        <ol class="live-list">
          {list.map((signal) => (
            <li key={signal.id} class={fresh.includes(signal.id) ? "live-new" : undefined}>
              {fresh.includes(signal.id) ? <span class="badge badge-live">new</span> : null}
              <StockLink symbol={signal.symbol} /> <DirectionLabel direction={signal.direction} /> ·
              {" "}
              <Confidence value={signal.confidence} /> · over <Horizon days={signal.horizon} />
              <span class="live-meta">
                {signal.model}
                {trusted.includes(signal.model)
                  ? <span class="badge badge-live">trusted</span>
                  : null} · as of{" "}
                <time dateTime={signal.asOf}>{formatUtc(new Date(signal.asOf))}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
