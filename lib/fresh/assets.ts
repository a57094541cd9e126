// Which island files a page loads: the runtime (one `<script type="module" src>`, no inline
// script) imports just the islands the page rendered, whose URLs travel in the JSON payload;
// modulepreload links announce every file up front so nothing waits on a second round trip.
import type { IslandBundle } from "./bundle.ts";
import type { AssetPlanner, IslandAssets } from "./render.ts";

export const ISLANDS_PATH = "/static/_islands/";

export function createAssetPlanner(bundle: IslandBundle): AssetPlanner {
  // A site has few distinct island combinations: plan each once.
  const plans = new Map<string, IslandAssets>();
  return (islands, hasSignals) => {
    const ids = [...islands].sort();
    const key = `${ids.join(",")}|${hasSignals}`;
    const cached = plans.get(key);
    if (cached) return cached;
    const runtime = bundle.runtime;
    if (!runtime) throw new Error("islands were rendered but none were built");
    const modules: Record<string, string> = {};
    const files = new Set<string>([runtime.file, ...runtime.chunks]);
    for (const id of ids) {
      const assets = bundle.islands.get(id);
      if (!assets) throw new Error(`island "${id}" is not part of this app's manifest`);
      modules[id] = ISLANDS_PATH + assets.file;
      [assets.file, ...assets.chunks].forEach((file) => files.add(file));
    }
    // The runtime imports @preact/signals lazily; preload it when the payload needs it.
    if (hasSignals) runtime.lazyChunks.forEach((file) => files.add(file));
    const head = [...files]
      .map((file) => `<link rel="modulepreload" href="${ISLANDS_PATH}${file}">`)
      .join("");
    const body = `<script type="module" src="${ISLANDS_PATH}${runtime.file}"></script>`;
    const plan = { head, body, modules };
    plans.set(key, plan);
    return plan;
  };
}
