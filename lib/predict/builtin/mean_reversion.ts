// Mean reversion: a stretched price snaps back. RSI above the overbought level bets down, below
// the oversold level bets up, the further beyond the level the more confidently; in between there
// is no bet.
import { rsi } from "../../market/indicators.ts";
import {
  defineModel,
  FLAT_CONFIDENCE,
  forecast,
  type ForecastParts,
  leaningConfidence,
} from "./model.ts";

export const meanReversion = defineModel({
  key: "mean-reversion",
  description: "Bets against a stretched price: down when RSI is above `overbought`, up when it " +
    "is below `oversold`, flat in between.",
  params: {
    period: { default: 14, min: 2, max: 50, integer: true },
    // The ranges meet at 50 and the comparisons are strict, so no RSI is both.
    overbought: { default: 70, min: 50, max: 100 },
    oversold: { default: 30, min: 0, max: 50 },
  },
  predict(inputs, { period, overbought, oversold }) {
    const value = rsi(inputs.bars.map((bar) => bar.close), period).at(-1);
    if (value == null) return { abstain: `fewer than ${period + 1} bars` };
    const shown = `RSI-${period} ${value.toFixed(1)}`;
    // Strength: how far past the level, as a share of the way from the level to the extreme.
    const parts: ForecastParts = value > overbought
      ? {
        direction: "down",
        confidence: leaningConfidence((value - overbought) / (100 - overbought)),
        reasoning: `${shown}, above ${overbought} (overbought) → down`,
      }
      : value < oversold
      ? {
        direction: "up",
        confidence: leaningConfidence((oversold - value) / oversold),
        reasoning: `${shown}, below ${oversold} (oversold) → up`,
      }
      : {
        direction: "flat",
        confidence: FLAT_CONFIDENCE,
        reasoning: `${shown}, between ${oversold} and ${overbought} → flat`,
      };
    return forecast(inputs, parts);
  },
});
