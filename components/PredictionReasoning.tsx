import type { CitedNews } from "../lib/predictions/query.ts";
import { CitedNewsList } from "./CitedNewsList.tsx";

/** Characters of reasoning shown before "open for more". */
const SUMMARY_LENGTH = 120;

/**
 * `text` cut to at most `max` characters (code points, so an emoji is never split), at a word
 * boundary when one is near, with an ellipsis when cut.
 */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A prediction's reasoning in a table cell: the start of it, and the full text with the cited
 * news behind a <details> (works without JavaScript).
 */
export function PredictionReasoning(
  { reasoning, citedNews }: { reasoning: string | null; citedNews: CitedNews[] },
) {
  const summary = reasoning === null ? null : truncate(reasoning, SUMMARY_LENGTH);
  if (citedNews.length === 0) {
    if (reasoning === null) return <span class="muted">—</span>;
    if (summary === reasoning) return <>{reasoning}</>;
  }
  return (
    <details class="prediction-reasoning">
      <summary>{summary ?? `${citedNews.length} cited news`}</summary>
      {summary === reasoning ? null : <p class="reasoning-text">{reasoning}</p>}
      <CitedNewsList items={citedNews} />
    </details>
  );
}
