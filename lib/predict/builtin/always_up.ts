// The baseline every other model must beat: stocks rise more often than they fall, so "always up"
// is right more than half the time without knowing anything.
import { defineModel, forecast } from "./model.ts";
import { percent } from "../format.ts";

export const alwaysUp = defineModel({
  key: "always-up",
  description: "Baseline: always predicts up, with a fixed confidence.",
  params: { confidence: { default: 0.5, min: 0, max: 1 } },
  predict: (inputs, { confidence }) =>
    forecast(inputs, {
      direction: "up",
      confidence,
      reasoning: `Baseline: always up, fixed confidence ${percent(confidence)} → up`,
    }),
});
