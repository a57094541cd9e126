/** A change between two values, or a return given as a fraction (0.012 for +1.2%). */
export type ChangeProps = { from: number; to: number } | { change: number };

/** A percentage change, marked up/down by an arrow and words as well as colour. */
export function ChangeLabel(props: ChangeProps) {
  const change = ("change" in props ? props.change : props.to / props.from - 1) * 100;
  const direction = change > 0 ? "up" : change < 0 ? "down" : "flat";
  return (
    <span class={`change-${direction}`}>
      <span class="visually-hidden">{direction}</span>
      {Math.abs(change).toFixed(2)}%
    </span>
  );
}
