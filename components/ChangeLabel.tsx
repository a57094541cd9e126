/** A percentage change, marked up/down by an arrow and words as well as colour. */
export function ChangeLabel({ from, to }: { from: number; to: number }) {
  const change = (to / from - 1) * 100;
  const direction = change > 0 ? "up" : change < 0 ? "down" : "flat";
  return (
    <span class={`change-${direction}`}>
      <span class="visually-hidden">{direction}</span>
      {Math.abs(change).toFixed(2)}%
    </span>
  );
}
