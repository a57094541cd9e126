// How chart values read. A chart island receives the name of its format (functions can't cross
// into the browser as props) and looks the formatter up on both sides.

/** "price" for closes; "return" for fractions shown as signed percentages (0.012 → +1.20%). */
export type ValueFormat = "price" | "return";

/** A price with as many digits as its size needs: 1234, 123.45, 1.23. */
export function formatPrice(value: number): string {
  return value >= 1000 ? value.toFixed(0) : value >= 10 ? value.toFixed(2) : value.toPrecision(3);
}
