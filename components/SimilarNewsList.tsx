import type { SimilarNews } from "../lib/similar/similar_news.ts";
import { ChangeLabel } from "./ChangeLabel.tsx";
import { UtcTime } from "./UtcTime.tsx";

function Return({ value, label }: { value: number | null; label: string }) {
  return (
    <span>
      {label} {value === null
        ? <span title="those bars had not closed yet">—</span>
        : <ChangeLabel change={value} />}
    </span>
  );
}

/** Earlier news like an item, each with how its stock moved 1 and 5 trading days later. */
export function SimilarNewsList({ items }: { items: SimilarNews[] }) {
  return (
    <ol class="news-list similar-news">
      {items.map((item) => (
        <li key={item.id}>
          <a href={item.url} rel="noopener noreferrer">{item.title}</a>
          <span class="news-meta">
            {item.source} · <UtcTime date={item.publishedAt} /> · similarity {item.score.toFixed(2)}
          </span>
          <span class="news-meta">
            {item.symbol ?? "no stock"} after it: <Return value={item.return1d} label="1 day" />
            {" · "}
            <Return value={item.return5d} label="5 days" />
          </span>
        </li>
      ))}
    </ol>
  );
}
