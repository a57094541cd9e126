// What the last action did: after a redirect, the message its `?flash=` key names; after a refused
// action, the reason. A flash shows only text from the page's own list, never text from the URL,
// so a crafted link cannot make the console say something it did not.

export function Banner({ tone, message }: { tone: "success" | "error"; message: string }) {
  return tone === "error"
    ? <p class="banner banner-error" role="alert">{message}</p>
    : <p class="banner banner-success" role="status">{message}</p>;
}

export function FlashBanner(
  { url, messages }: { url: URL; messages: Readonly<Record<string, string>> },
) {
  const key = url.searchParams.get("flash");
  if (key === null || !Object.hasOwn(messages, key)) return null;
  return <Banner tone="success" message={messages[key]} />;
}
