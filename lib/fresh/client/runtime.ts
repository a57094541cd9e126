// Browser side of islands, loaded by the page's one `<script type="module" src>` (no inline
// script, so a `script-src 'self'` CSP holds). It reads the page's JSON payload, imports just the
// islands the page rendered (already fetched through modulepreload), turns signal slots back into
// live signals (one per server signal, shared between islands) and hydrates every island marker.
// Bundled by esbuild for the browser; the server never runs this file.
import { h, hydrate } from "preact";
import type { ComponentType } from "preact";
import { ISLAND_TAG, PAYLOAD_ID } from "./markers.ts";

interface Payload {
  /** Island name → URL of its module (default export = the component). */
  modules: Record<string, string>;
  props: Record<string, unknown>[];
  signals: { value: unknown; at: (string | number)[][] }[];
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let target: Record<string | number, unknown> = root;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1]] = value;
}

async function revive(): Promise<void> {
  const script = document.getElementById(PAYLOAD_ID);
  if (!script) return;
  const payload: Payload = JSON.parse(script.textContent ?? "");
  const names = Object.keys(payload.modules);
  const loaded = await Promise.all(
    names.map((name) => import(payload.modules[name]) as Promise<{ default: ComponentType }>),
  );
  const islands = new Map(names.map((name, index) => [name, loaded[index].default]));
  if (payload.signals.length > 0) {
    // Only pages whose islands take signal props load the signals library for this.
    const { signal } = await import("@preact/signals");
    for (const entry of payload.signals) {
      const shared = signal(entry.value);
      for (const [index, ...path] of entry.at) setAt(payload.props[Number(index)], path, shared);
    }
  }
  for (const marker of document.querySelectorAll<HTMLElement>(ISLAND_TAG)) {
    const name = marker.dataset.island ?? "";
    const component = islands.get(name);
    const props = payload.props[Number(marker.dataset.index)];
    if (!component || !props) continue;
    try {
      hydrate(h(component, props), marker);
    } catch (error) {
      // One broken island must not keep the others from working.
      console.error(`island ${name} failed to hydrate`, error);
    }
  }
}

revive().catch((error) => console.error("islands failed to load", error));
