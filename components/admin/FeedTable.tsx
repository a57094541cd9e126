// The news feeds the crawl job polls, with their last poll and error, and a button to remove one.
import type { StoredFeed } from "../../lib/news/feeds_store.ts";
import type { Stock } from "../../lib/stocks/stock.ts";
import { UtcTime } from "../UtcTime.tsx";
import { PostButton } from "./PostForm.tsx";

export function FeedTable(
  { feeds, stocks, csrf }: { feeds: readonly StoredFeed[]; stocks: readonly Stock[]; csrf: string },
) {
  const symbols = new Map(stocks.map((stock) => [stock.id, stock.symbol]));
  return (
    <div class="table-scroll">
      <table class="data-table admin-table">
        <caption class="visually-hidden">News feeds</caption>
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">About</th>
            <th scope="col">Last polled</th>
            <th scope="col">Last error</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {feeds.map((feed) => (
            <tr key={feed.id}>
              <td>
                {feed.title && <strong class="feed-title">{feed.title}</strong>}
                <code>{feed.url}</code>
                {!feed.active && <span class="muted">(paused)</span>}
              </td>
              <td>
                {feed.stockId === null
                  ? <span class="muted">any stock it names</span>
                  : symbols.get(feed.stockId)}
              </td>
              <td>
                {feed.lastFetchedAt
                  ? <UtcTime date={feed.lastFetchedAt} />
                  : <span class="muted">never</span>}
              </td>
              <td class="error-text">{feed.lastError}</td>
              <td>
                <PostButton
                  action="/admin/stocks"
                  intent="remove-feed"
                  csrf={csrf}
                  fields={{ id: String(feed.id) }}
                  label="Remove"
                  subject={feed.title ?? feed.url}
                  danger
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
