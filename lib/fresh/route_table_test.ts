import assert from "node:assert/strict";
import { compileRouteTable } from "./route_table.ts";
import type { Manifest, ModuleExports } from "./types.ts";

const Page = () => null;
const Layout = () => null;
const pass = (_req: Request, ctx: { next(): Promise<Response> }) => ctx.next();

function manifest(routes: Record<string, ModuleExports>): Manifest {
  return { routes, islands: {}, baseUrl: "file:///app/fresh.gen.ts" };
}

Deno.test("compileRouteTable: layouts and middleware wrap routes by folder, outermost first", () => {
  const rootMiddleware = { handler: pass };
  const adminMiddleware = { handler: [pass, pass] };
  const table = compileRouteTable(manifest({
    "./routes/_app.tsx": { default: Page },
    "./routes/_layout.tsx": { default: Layout },
    "./routes/_middleware.ts": rootMiddleware,
    "./routes/admin/_layout.tsx": { default: Layout },
    "./routes/admin/_middleware.ts": adminMiddleware,
    "./routes/admin/users/[id].tsx": { default: Page },
    "./routes/index.tsx": { default: Page },
  }));
  const user = table.match("/admin/users/7");
  assert.equal(user?.route.file, "./routes/admin/users/[id].tsx");
  assert.deepEqual(user?.params, { id: "7" });
  assert.equal(user?.route.layouts.length, 2);
  assert.deepEqual(user?.route.middlewares.map((m) => m.name), [
    "./routes/_middleware.ts",
    "./routes/admin/_middleware.ts#0",
    "./routes/admin/_middleware.ts#1",
  ]);
  assert.equal(table.match("/")?.route.middlewares.length, 1);
  assert.equal(table.match("/nope"), null);
  assert.equal(table.middlewaresFor("/admin/missing").length, 3);
  assert.equal(table.middlewaresFor("/missing").length, 1);
  assert.equal(table.rootLayouts.length, 1);
  assert.ok(table.app);
});

Deno.test("compileRouteTable: route groups scope layouts without changing URLs", () => {
  const table = compileRouteTable(manifest({
    "./routes/(shop)/_layout.tsx": { default: Layout },
    "./routes/(shop)/cart.tsx": { default: Page },
    "./routes/about.tsx": { default: Page },
  }));
  assert.equal(table.match("/cart")?.route.layouts.length, 1);
  assert.equal(table.match("/about")?.route.layouts.length, 0);
});

Deno.test("compileRouteTable: rejects conflicting or malformed route modules", () => {
  const compile = (routes: Record<string, ModuleExports>) => () =>
    compileRouteTable(manifest(routes));
  assert.throws(
    compile({ "./routes/a.tsx": { default: Page }, "./routes/a/index.tsx": { default: Page } }),
    /both match \/a/,
  );
  assert.throws(
    compile({ "./routes/[a].tsx": { default: Page }, "./routes/[b].tsx": { default: Page } }),
    /both match/,
  );
  assert.throws(compile({ "./routes/x.tsx": {} }), /export a default page component or a handler/);
  assert.throws(
    compile({ "./routes/x.tsx": { handler: { FETCH: () => new Response() } } }),
    /handler.FETCH is not an HTTP method/,
  );
  assert.throws(compile({ "./routes/x.tsx": { handler: 42 } }), /must be a function or an object/);
  assert.throws(compile({ "./routes/_middleware.ts": { handler: [] } }), /middleware function/);
  assert.throws(compile({ "./routes/admin/_app.tsx": { default: Page } }), /only allowed directly/);
  assert.throws(compile({ "./routes/_head.tsx": { default: Page } }), /unknown special file/);
  assert.throws(compile({ "./pages/x.tsx": { default: Page } }), /must look like/);
});
