import type { CitedNews } from "../lib/predictions/query.ts";

/** The news a prediction cited, as outbound links. */
export function CitedNewsList({ items }: { items: CitedNews[] }) {
  if (items.length === 0) return null;
  return (
    <ul class="cited-news" aria-label="Cited news">
      {items.map((item) => (
        <li key={item.id}>
          <a href={item.url} rel="noopener noreferrer">{item.title}</a>
        </li>
      ))}
    </ul>
  );
}
