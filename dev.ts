// Development entry.
//   deno task dev                 regenerate fresh.gen.ts, then run main.ts in dev mode; the task's
//                                 --watch restarts this script on changes, which rebuilds islands
//   deno run -A dev.ts --check    exit 1 when fresh.gen.ts is stale (part of `deno task check`)
//   deno run -A dev.ts --generate regenerate fresh.gen.ts only
// `--root=DIR` points it at another app folder (used by tests).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkManifest, writeManifest } from "./lib/fresh/manifest_gen.ts";
import { exitWithError } from "./tasks/exit.ts";

const rootArg = Deno.args.find((arg) => arg.startsWith("--root="));
const root = rootArg
  ? resolve(rootArg.slice("--root=".length))
  : dirname(fileURLToPath(import.meta.url));

if (Deno.args.includes("--check")) {
  const check = await checkManifest(root);
  if (!check.upToDate) {
    const changes = [
      ...check.added.map((file) => `  + ${file}`),
      ...check.removed.map((file) => `  - ${file}`),
    ];
    console.error(
      `${check.path} is stale${changes.length ? `:\n${changes.join("\n")}` : ""}\n` +
        "Regenerate it with `deno run -A dev.ts --generate` (or `deno task dev`) and commit it.",
    );
    Deno.exit(1);
  }
  console.log(`${check.path} is up to date`);
} else {
  const changed = await writeManifest(root);
  console.log(changed ? "fresh.gen.ts regenerated" : "fresh.gen.ts is up to date");
  if (!Deno.args.includes("--generate")) {
    // Dev mode: unminified islands with source maps, no static caching. Islands are rebuilt at
    // every start, and `deno task dev` restarts on any change.
    const { start } = await import("./main.ts");
    await start({ dev: true }).catch(exitWithError);
  }
}
