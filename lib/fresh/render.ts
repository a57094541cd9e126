// Server rendering of one document: page inside its layouts inside _app, then the island
// payload and scripts injected — and nothing injected when the page rendered no island.
import { h } from "preact";
import type { ComponentChildren, ComponentType } from "preact";
import { PAYLOAD_ID } from "./client/markers.ts";
import { renderWithIslands } from "./islands.ts";
import { escapeScriptJson } from "./serialize.ts";
import type { AppProps, LayoutProps, PageProps } from "./types.ts";

export interface DocumentParts {
  app?: ComponentType<AppProps<unknown>>;
  /** Outermost first. */
  layouts: readonly ComponentType<LayoutProps<unknown>>[];
  /** The page element, e.g. `() => h(Page, props)`. */
  page: () => ComponentChildren;
  /** What _app and the layouts receive (besides `Component`). */
  props: PageProps<unknown, unknown>;
}

/** What a page that uses these islands adds to its head, its body and its payload. */
export interface IslandAssets {
  head: string;
  body: string;
  /** Island name → module URL, for the client runtime. */
  modules: Record<string, string>;
}

export type AssetPlanner = (islands: ReadonlySet<string>, hasSignals: boolean) => IslandAssets;

/** Used when the app has no routes/_app.tsx. */
function DefaultDocument({ Component }: { Component: ComponentType }) {
  return h(
    "html",
    null,
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
    ),
    h("body", null, h(Component, null)),
  );
}

function inject(html: string, head: string, body: string): string {
  const headEnd = html.indexOf("</head>");
  if (headEnd === -1) {
    body = head + body;
  } else {
    html = html.slice(0, headEnd) + head + html.slice(headEnd);
  }
  const bodyEnd = html.lastIndexOf("</body>");
  return bodyEnd === -1 ? html + body : html.slice(0, bodyEnd) + body + html.slice(bodyEnd);
}

export function renderDocument(parts: DocumentParts, planAssets: AssetPlanner): string {
  let Inner: ComponentType = parts.page;
  for (const layout of [...parts.layouts].reverse()) {
    const Child: ComponentType = Inner;
    Inner = () => h(layout, { ...parts.props, Component: Child });
  }
  const { html, writer, used } = parts.app
    ? renderWithIslands(h(parts.app, { ...parts.props, Component: Inner }))
    : renderWithIslands(h(DefaultDocument, { Component: Inner }));
  const document = `<!DOCTYPE html>${html}`;
  if (used.size === 0) return document;
  const assets = planAssets(used, writer.hasSignals);
  // The JSON is data, not script: a `script-src 'self'` CSP doesn't block it.
  const json = escapeScriptJson(JSON.stringify({ modules: assets.modules, ...writer.payload() }));
  const data = `<script type="application/json" id="${PAYLOAD_ID}">${json}</script>`;
  return inject(document, assets.head, data + assets.body);
}
