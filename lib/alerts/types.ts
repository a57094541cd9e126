// What an alert carries from the moment it is written to the outbox (in the transaction that
// stored its cause) to the message the alerts job sends. Payloads are plain JSON: the dispatcher
// formats them without querying, so a message says what was true when the alert was raised.
import type { Direction } from "../predict/types.ts";

export const ALERT_RULES = ["strong", "consensus", "flip", "win_rate"] as const;
export type AlertRule = typeof ALERT_RULES[number];

export const ALERT_FREQUENCIES = ["once", "daily", "every"] as const;
export type AlertFrequency = typeof ALERT_FREQUENCIES[number];

/** A model's win rate with its Wilson 95% interval, over `n` decided predictions. */
export interface WinRateSummary {
  rate: number;
  low: number;
  high: number;
  n: number;
}

/** The prediction an alert is about. */
export interface AlertPrediction {
  id: number;
  symbol: string;
  stockName: string;
  modelId: number;
  modelName: string;
  direction: Direction;
  confidence: number;
  horizon: number;
  /** ISO timestamp. */
  asOf: string;
  reasoning: string;
  /** The model's current win rate (clean, live if any else replay); null before it has outcomes. */
  winRate: WinRateSummary | null;
}

export type AlertPayload =
  | { kind: "prediction"; rule: "strong"; prediction: AlertPrediction }
  | {
    kind: "prediction";
    rule: "consensus";
    prediction: AlertPrediction;
    /** Names of the active models that agree, this prediction's model included. */
    agreeing: string[];
    /** Active models with a prediction for this stock, as_of and horizon. */
    of: number;
  }
  | {
    kind: "prediction";
    rule: "flip";
    prediction: AlertPrediction;
    previousDirection: Direction;
    /** ISO timestamp of the previous prediction. */
    previousAsOf: string;
  }
  | {
    kind: "win_rate";
    modelId: number;
    modelName: string;
    winRate: WinRateSummary;
    threshold: number;
    /** The stock the subscription is about, when it names one. */
    symbol: string | null;
  }
  | { kind: "job_failure"; job: string; runId: number | null; error: string; at: string };

/** Outbox row kinds (alert_outbox.kind). */
export type AlertKind = AlertPayload["kind"];
