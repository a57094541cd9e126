import type { Direction } from "../lib/predict/types.ts";

const ARROWS: Record<Direction, string> = { up: "▲", down: "▼", flat: "▶" };

/** A predicted direction as an arrow and a word, coloured too, so colour is never the only cue. */
export function DirectionLabel({ direction }: { direction: Direction }) {
  return (
    <span class={`direction direction-${direction}`}>
      <span aria-hidden="true">{ARROWS[direction]}</span> {direction}
    </span>
  );
}
