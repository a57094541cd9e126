import assert from "node:assert/strict";
import { MiddlewareError, runMiddlewares } from "./middleware.ts";
import type { BaseContext } from "./middleware.ts";
import type { Middleware } from "./route_table.ts";

function baseContext(state: Record<string, unknown>): BaseContext {
  return {
    url: new URL("http://x/"),
    params: {},
    state,
    render: () => Promise.resolve(new Response("page")),
    renderNotFound: () => Promise.resolve(new Response("404", { status: 404 })),
  };
}

const req = new Request("http://x/");

Deno.test("runMiddlewares: runs outermost first, unwinds in reverse, shares state", async () => {
  const order: string[] = [];
  const layer = (name: string): Middleware => ({
    name,
    handler: async (_req, ctx) => {
      order.push(`>${name}`);
      (ctx.state as { seen: string[] }).seen.push(name);
      const response = await ctx.next();
      order.push(`<${name}`);
      return response;
    },
  });
  const state = { seen: [] as string[] };
  const response = await runMiddlewares([layer("a"), layer("b")], req, baseContext(state), () => {
    order.push("route");
    return Promise.resolve(new Response("done"));
  });
  assert.equal(await response.text(), "done");
  assert.deepEqual(order, [">a", ">b", "route", "<b", "<a"]);
  assert.deepEqual(state.seen, ["a", "b"]);
});

Deno.test("runMiddlewares: a middleware may answer without calling next", async () => {
  let reached = false;
  const stop: Middleware = {
    name: "stop",
    handler: () => new Response("stopped", { status: 401 }),
  };
  const response = await runMiddlewares([stop], req, baseContext({}), () => {
    reached = true;
    return Promise.resolve(new Response("route"));
  });
  assert.equal(response.status, 401);
  assert.equal(reached, false);
});

Deno.test("runMiddlewares: calling next() twice throws, even after later layers ran", async () => {
  const twice: Middleware = {
    name: "./routes/_middleware.ts",
    handler: async (_req, ctx) => {
      await ctx.next();
      return await ctx.next();
    },
  };
  const answer: Middleware = { name: "answer", handler: () => new Response("inner") };
  await assert.rejects(
    runMiddlewares([twice, answer], req, baseContext({}), () => Promise.resolve(new Response())),
    (error) =>
      error instanceof MiddlewareError &&
      error.message === "./routes/_middleware.ts called ctx.next() more than once",
  );
});

Deno.test("runMiddlewares: a middleware must return a Response", async () => {
  const bad: Middleware = {
    name: "bad",
    handler: (() => "nope") as unknown as Middleware["handler"],
  };
  await assert.rejects(
    runMiddlewares([bad], req, baseContext({}), () => Promise.resolve(new Response())),
    /bad must return a Response/,
  );
});
