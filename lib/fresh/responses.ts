// Small Response builders shared by the page runtime.
const encoder = new TextEncoder();

export function htmlResponse(html: string, status: number, headers?: HeadersInit): Response {
  const body = encoder.encode(html);
  const merged = new Headers(headers);
  if (!merged.has("content-type")) merged.set("content-type", "text/html; charset=utf-8");
  // Explicit, so a HEAD response derived from GET carries the same length.
  merged.set("content-length", String(body.byteLength));
  return new Response(body, { status, headers: merged });
}

export function textResponse(status: number, text: string, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "text/plain; charset=utf-8");
  return new Response(text, { status, headers: merged });
}

export function notFoundText(): Response {
  return textResponse(404, "Not Found");
}

/** Last resort when the error page itself fails to render: no components, no details. */
export function fallbackPage(status: number): Response {
  const title = status === 404 ? "Page not found" : "Something went wrong";
  return htmlResponse(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>Error ${status}.</p></body></html>`,
    status,
  );
}

/** The same response without its body (HEAD). */
export function withoutBody(response: Response): Response {
  if (response.body === null) return response;
  response.body.cancel().catch(() => undefined);
  return new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
