// esbuild can't read Deno's import map or `npm:` specifiers. This plugin maps the two forms
// island code may use: deno.json entries pointing at local paths ("@/": "./") and direct
// `npm:name@version/sub` specifiers (resolved as the bare "name/sub" from node_modules).
// Bare package names ("preact") already resolve from node_modules without help.
import { dirname, join, resolve } from "node:path";
import type { Plugin } from "esbuild";

export interface ImportMap {
  imports: Record<string, string>;
  /** Folder the map's relative targets are resolved against. */
  dir: string;
}

/** The nearest deno.json at or above `start` (read once, at start-up); empty when none. */
export async function findImportMap(start: string): Promise<ImportMap> {
  let dir = resolve(start);
  while (true) {
    try {
      const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
      return { imports: config.imports ?? {}, dir };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) return { imports: {}, dir: start };
    dir = parent;
  }
}

const NPM_SPECIFIER = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/;

/** "npm:@preact/signals@2.11.4/utils" → "@preact/signals/utils"; null when not an npm: form. */
export function npmToBare(specifier: string): string | null {
  const match = NPM_SPECIFIER.exec(specifier);
  if (!match) return null;
  return match[1] + (match[2] && match[2] !== "/" ? match[2] : "");
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function importMapPlugin(map: ImportMap): Plugin {
  const local = Object.entries(map.imports)
    .filter(([, target]) => target.startsWith("./") || target.startsWith("../"))
    .sort(([a], [b]) => b.length - a.length);
  return {
    name: "deno-import-map",
    setup(build) {
      build.onResolve({ filter: /^npm:/ }, async (args) => {
        const bare = npmToBare(args.path);
        if (!bare) return { errors: [{ text: `Unsupported npm specifier "${args.path}"` }] };
        const result = await build.resolve(bare, { kind: args.kind, resolveDir: args.resolveDir });
        return result.errors.length > 0 ? { errors: result.errors } : { path: result.path };
      });
      if (local.length === 0) return;
      const keys = local.map(([key]) => escapeRegex(key) + (key.endsWith("/") ? "" : "$"));
      build.onResolve({ filter: new RegExp(`^(?:${keys.join("|")})`) }, async (args) => {
        const entry = local.find(([key]) =>
          key.endsWith("/") ? args.path.startsWith(key) : args.path === key
        );
        if (!entry) return undefined;
        const [key, target] = entry;
        const path = resolve(map.dir, target + args.path.slice(key.length));
        // Let esbuild apply its own rules (extensions, index files) to the mapped path.
        const result = await build.resolve(path, { kind: args.kind, resolveDir: map.dir });
        return result.errors.length > 0 ? { errors: result.errors } : { path: result.path };
      });
    },
  };
}
