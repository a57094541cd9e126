// Numbers in reasoning and prompt text. Formatted in code, so the prose states exactly the figures
// computed, and a value that rounds to zero reads "0.0%" rather than "-0.0%".

/** 0.041 → "+4.1%", -0.0213 → "-2.1%". */
export function signedPercent(fraction: number, digits = 1): string {
  return signed(fraction * 100, digits) + "%";
}

/** 0.2312 → "23%". */
export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** 0.318 → "+0.32". */
export function signed(value: number, digits = 2): string {
  const text = value.toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return value > 0 ? `+${text}` : text;
}

/** (1, "headline") → "1 headline", (2, "headline") → "2 headlines". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
