// Finds islands while the server renders, through preact's public `options.vnode` hook: a vnode
// whose type is a registered island gets a boundary component as its type. The boundary renders
// the island inside a <craveny-island style="display:contents"> marker and records its props.
//
// Why an element rather than comment markers: the client hydrates with plain
// `hydrate(vnode, marker)`, with no fake parent node over a comment range (which would need
// preact internals), and `display:contents` keeps the marker out of layout. The cost: CSS child
// selectors (`ul > li`) see the marker, and islands can't sit where only specific elements are
// valid (directly in <table>, <tr>, <ul>) — wrap such content in the island instead.
//
// Island JSX children are not supported (the serializer refuses them with a clear error): pass
// data props and let the island render its own markup.
import { createContext, h, options } from "preact";
import type { ComponentType, VNode } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import { ISLAND_TAG } from "./client/markers.ts";
import { IslandPropsWriter } from "./serialize.ts";

export interface Island {
  /** Stable name used in markers and bundle entry names ("ThemeToggle", "charts_Line"). */
  id: string;
  /** Any component: its props are whatever the page passes (and are checked when serialized). */
  component: ComponentType<never>;
}

interface Registration {
  island: Island;
  boundary: ComponentType<Record<string, unknown>>;
  count: number;
}

export interface IslandRender {
  html: string;
  writer: IslandPropsWriter;
  /** Ids of the islands rendered as hydration roots, in first-use order. */
  used: Set<string>;
}

const registry = new Map<unknown, Registration>();
const InsideIsland = createContext(false);
let active: { writer: IslandPropsWriter; used: Set<string> } | null = null;
// Set while a boundary creates the real island vnode, so the hook doesn't wrap it again.
let bypass = false;
let hookInstalled = false;

function boundaryFor(island: Island): ComponentType<Record<string, unknown>> {
  const component = island.component as ComponentType<Record<string, unknown>>;
  const Boundary = (props: Record<string, unknown>) => {
    // A nested island is part of its parent's client code: render it without its own marker.
    const nested = useContext(InsideIsland);
    bypass = true;
    let inner: VNode;
    try {
      inner = h(component, props);
    } finally {
      bypass = false;
    }
    const render = active;
    if (nested || !render) return inner;
    const index = render.writer.add(island.id, props);
    render.used.add(island.id);
    const marker = h(ISLAND_TAG, {
      "data-island": island.id,
      "data-index": String(index),
      style: "display:contents",
    }, inner);
    return h(InsideIsland.Provider, { value: true }, marker);
  };
  Boundary.displayName = `Island(${island.id})`;
  return Boundary;
}

function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  const previous = options.vnode;
  options.vnode = (vnode) => {
    if (!bypass && typeof vnode.type === "function") {
      const registration = registry.get(vnode.type);
      if (registration) vnode.type = registration.boundary as ComponentType;
    }
    previous?.(vnode);
  };
}

/** Makes these components render as islands; returns a function that undoes it. */
export function registerIslands(islands: readonly Island[]): () => void {
  installHook();
  for (const island of islands) {
    const existing = registry.get(island.component);
    if (existing) existing.count++;
    else registry.set(island.component, { island, boundary: boundaryFor(island), count: 1 });
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const island of islands) {
      const registration = registry.get(island.component);
      if (registration && --registration.count === 0) registry.delete(island.component);
    }
  };
}

/** Renders synchronously, collecting the islands (and their props) the tree used. */
export function renderWithIslands<P>(vnode: VNode<P>): IslandRender {
  const previous = active;
  const render = { writer: new IslandPropsWriter(), used: new Set<string>() };
  active = render;
  try {
    return { html: renderToString(vnode), ...render };
  } finally {
    active = previous;
  }
}
