// A browser's cookie handling for page tests over app.fetch: it keeps what Set-Cookie says
// (honouring Path and Max-Age=0) and sends back the cookies a path gets. Redirects are not
// followed: tests look at each one.

type Fetch = (request: Request) => Response | Promise<Response>;

interface StoredCookie {
  value: string;
  path: string;
}

function pathMatches(cookiePath: string, path: string): boolean {
  return path === cookiePath ||
    path.startsWith(cookiePath.endsWith("/") ? cookiePath : `${cookiePath}/`);
}

export class TestBrowser {
  readonly #cookies = new Map<string, StoredCookie>();

  constructor(private readonly fetch: Fetch, private readonly origin = "http://localhost") {}

  cookie(name: string): string | undefined {
    return this.#cookies.get(name)?.value;
  }

  setCookie(name: string, value: string, path = "/"): void {
    this.#cookies.set(name, { value, path });
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const { pathname } = new URL(path, this.origin);
    const cookie = [...this.#cookies]
      .filter(([, stored]) => pathMatches(stored.path, pathname))
      .map(([name, stored]) => `${name}=${stored.value}`).join("; ");
    const headers = new Headers(init.headers);
    if (cookie) headers.set("Cookie", cookie);
    const response = await this.fetch(new Request(`${this.origin}${path}`, { ...init, headers }));
    for (const line of response.headers.getSetCookie()) this.#store(line);
    return response;
  }

  /** GET `path`: its status, Location and HTML. */
  async get(path: string) {
    const response = await this.request(path);
    return { response, status: response.status, html: await response.text() };
  }

  /** Posts `fields` as a urlencoded form. */
  async post(path: string, fields: Record<string, string>) {
    const response = await this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { response, status: response.status, html: await response.text() };
  }

  #store(line: string): void {
    const [pair, ...attributes] = line.split(";").map((part) => part.trim());
    const split = pair.indexOf("=");
    const name = pair.slice(0, split);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    if (attribute("max-age") === "0") this.#cookies.delete(name);
    else this.#cookies.set(name, { value: pair.slice(split + 1), path: attribute("path") ?? "/" });
  }
}

/** The value of the hidden CSRF field in a page's HTML. */
export function csrfFieldOf(html: string): string {
  const match = /<input type="hidden" name="csrf" value="([^"]*)"/.exec(html);
  if (!match) throw new Error("the page has no CSRF field");
  return match[1];
}
