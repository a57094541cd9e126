// Momentum: the recent trend continues. The sign of the return over the last `lookback` bars
// decides; the size of the move against the volatility of the same bars sets the confidence, so
// a 5% move means more for a utility than for a crypto coin.
import { rollingVolatility, TRADING_DAYS_PER_YEAR } from "../../market/indicators.ts";
import { percent, signed, signedPercent } from "../format.ts";
import { defineModel, directionOf, FLAT_CONFIDENCE, forecast, leaningConfidence } from "./model.ts";

/** Models are shown at most 120 bars (INPUT_BARS in ../inputs.ts): 119 returns. */
const MAX_LOOKBACK = 119;

export const momentum = defineModel({
  key: "momentum",
  description: "Bets that the move of the last `lookback` bars continues; flat when that move is " +
    "smaller than `flatSigmas` standard deviations of the same bars' noise.",
  params: {
    lookback: { default: 20, min: 2, max: MAX_LOOKBACK, integer: true },
    flatSigmas: { default: 0.25, min: 0, max: 3 },
  },
  predict(inputs, { lookback, flatSigmas }) {
    const closes = inputs.bars.slice(-(lookback + 1)).map((bar) => bar.close);
    // Daily volatility: the sample standard deviation of the window's `lookback` log returns.
    const volatility = rollingVolatility(closes, lookback).at(-1);
    if (volatility == null) return { abstain: `fewer than ${lookback + 1} bars` };
    const change = closes[lookback] / closes[0] - 1;
    // z: the window's log return in units of the noise expected over `lookback` bars (σ·√lookback).
    const z = sigmas(Math.log(closes[lookback] / closes[0]), volatility * Math.sqrt(lookback));
    const direction = directionOf(z, flatSigmas);
    const annualized = volatility * Math.sqrt(TRADING_DAYS_PER_YEAR);
    // A near-perfectly steady series (rounding noise only) gives an absurd z: say so instead.
    const strength = Math.abs(z) < 100 ? `${signed(z, 1)}σ` : "far beyond its noise";
    return forecast(inputs, {
      direction,
      // confidence = 0.5 + 0.25·tanh(|z|): grows with the move's size in σ, never above 0.75.
      confidence: direction === "flat"
        ? FLAT_CONFIDENCE
        : leaningConfidence(Math.tanh(Math.abs(z))),
      reasoning: `${lookback}-day return ${signedPercent(change)}, volatility ` +
        `${percent(annualized)} (${strength}, flat within ±${flatSigmas}σ) → ${direction}`,
    });
  },
});

/** `move / noise`; any move is infinitely many σ on a series without noise. */
function sigmas(move: number, noise: number): number {
  if (move === 0) return 0;
  return noise > 0 ? move / noise : Math.sign(move) * Infinity;
}
