import assert from "node:assert/strict";
import { createDefine } from "./define.ts";

interface TestState {
  user: string;
}

Deno.test("createDefine: helpers return their argument, typed by the shared State", async () => {
  const define = createDefine<TestState>();
  const handlers = define.handlers<{ name: string }>({
    GET: (_req, ctx) => ctx.render({ name: ctx.state.user }),
  });
  assert.equal(typeof handlers.GET, "function");
  const single = define.handlers((req) => new Response(req.method));
  assert.equal(await (await single(new Request("http://x/"), undefined as never)).text(), "GET");
  const middleware = define.middleware([(_req, ctx) => ctx.next()]);
  assert.equal(middleware.length, 1);
  const Page = define.page<{ name: string }>(({ data, state }) => `${data.name}/${state.user}`);
  assert.equal(
    Page({ url: new URL("http://x/"), params: {}, data: { name: "a" }, state: { user: "b" } }),
    "a/b",
  );
});
