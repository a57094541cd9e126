// Builds the islands and the client runtime with esbuild, in memory, once at start-up:
// code-split ESM with content-hashed names, so every file can be cached as immutable.
import * as esbuild from "esbuild";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "../crypto/sha256.ts";
import { findImportMap, importMapPlugin } from "./esbuild_imports.ts";

export interface IslandSource {
  id: string;
  /** Absolute file path. */
  path: string;
}

export interface EntryAssets {
  /** The entry's own file name ("ThemeToggle-3KQ2ZJ7B.js"). */
  file: string;
  /** Files it statically imports, transitively (shared chunks), to modulepreload. */
  chunks: string[];
  /** Files behind its dynamic imports (and their static imports), loaded only on demand. */
  lazyChunks: string[];
}

export interface IslandBundle {
  /** File name → contents, served under /static/_islands/. */
  files: Map<string, Uint8Array<ArrayBuffer>>;
  /** Null when the app has no islands (nothing is built). */
  runtime: EntryAssets | null;
  islands: Map<string, EntryAssets>;
  buildMs: number;
}

export const RUNTIME_ENTRY = "runtime";
const RUNTIME_PATH = fileURLToPath(new URL("./client/runtime.ts", import.meta.url));

// esbuild runs one service process; `stop()` ends it (deno test's sanitizers need that). Builds are
// queued so one build's stop() never cuts another build short.
let queue: Promise<unknown> = Promise.resolve();

export function buildIslands(
  islands: readonly IslandSource[],
  options: { root: string; dev: boolean },
): Promise<IslandBundle> {
  const run = queue.then(() => build(islands, options));
  queue = run.catch(() => undefined);
  return run;
}

async function build(
  islands: readonly IslandSource[],
  { root, dev }: { root: string; dev: boolean },
): Promise<IslandBundle> {
  const started = performance.now();
  if (islands.length === 0) {
    return { files: new Map(), runtime: null, islands: new Map(), buildMs: 0 };
  }
  const entryPoints: Record<string, string> = { [RUNTIME_ENTRY]: RUNTIME_PATH };
  for (const island of islands) entryPoints[island.id] = island.path;
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints,
      absWorkingDir: root,
      outdir: resolve(root, "_fresh/islands"),
      write: false,
      metafile: true,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2020",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      minify: !dev,
      sourcemap: dev ? "inline" : false,
      legalComments: "none",
      jsx: "automatic",
      jsxImportSource: "preact",
      logLevel: "silent",
      plugins: [importMapPlugin(await findImportMap(root))],
    });
  } finally {
    await esbuild.stop();
  }

  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const file of result.outputFiles) {
    files.set(basename(file.path), new Uint8Array(file.contents));
  }
  const outputs = result.metafile.outputs;
  const entryFiles = new Map<string, string>();
  for (const [output, meta] of Object.entries(outputs)) {
    if (meta.entryPoint) entryFiles.set(resolve(root, meta.entryPoint), output);
  }
  const assets = (path: string): EntryAssets => {
    const output = entryFiles.get(resolve(path));
    if (!output) throw new Error(`esbuild produced no output for ${path}`);
    const closure = (file: string, into: Set<string>) => {
      for (const imported of outputs[file]?.imports ?? []) {
        if (imported.kind !== "import-statement" || into.has(basename(imported.path))) continue;
        into.add(basename(imported.path));
        closure(imported.path, into);
      }
      return into;
    };
    const chunks = closure(output, new Set());
    const lazy = new Set<string>();
    for (const imported of outputs[output]?.imports ?? []) {
      if (imported.kind !== "dynamic-import") continue;
      lazy.add(basename(imported.path));
      closure(imported.path, lazy);
    }
    return {
      file: basename(output),
      chunks: [...chunks],
      lazyChunks: [...lazy].filter((file) => !chunks.has(file)),
    };
  };
  return {
    files,
    runtime: assets(RUNTIME_PATH),
    islands: new Map(islands.map((island) => [island.id, assets(island.path)])),
    buildMs: performance.now() - started,
  };
}

/** Gzipped size, to check the JS budget. */
export async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Names the build: its file names carry content hashes, so it changes when any file does. */
export async function bundleId(bundle: IslandBundle): Promise<string> {
  return (await sha256Hex([...bundle.files.keys()].sort().join("\n"))).slice(0, 12);
}
