import assert from "node:assert/strict";
import { h } from "preact";
import type { ComponentChildren } from "preact";
import { registerIslands } from "./islands.ts";
import { renderDocument } from "./render.ts";
import type { AssetPlanner } from "./render.ts";
import type { AppProps, LayoutProps, PageProps } from "./types.ts";

function Badge({ text }: { text: string }) {
  return h("b", null, text);
}
function Card({ title, children }: { title: string; children?: ComponentChildren }) {
  // An island rendering another island: the inner one is part of the outer one's code.
  return h("div", null, title, h(Badge, { text: "inner" }), children);
}

const props: PageProps<unknown, unknown> = {
  url: new URL("http://x/"),
  params: {},
  data: undefined,
  state: {},
};

const App = ({ Component }: AppProps<unknown>) =>
  h("html", null, h("head", null, h("title", null, "t")), h("body", null, h(Component, null)));
const Layout = ({ Component }: LayoutProps<unknown>) => h("section", null, h(Component, null));

const planned: { islands: string[]; hasSignals: boolean }[] = [];
const planner: AssetPlanner = (islands, hasSignals) => {
  planned.push({ islands: [...islands], hasSignals });
  return {
    head: '<link rel="modulepreload" href="/m.js">',
    body: '<script type="module" src="/r.js"></script>',
    modules: Object.fromEntries([...islands].map((id) => [id, `/${id}.js`])),
  };
};

Deno.test("renderDocument: page inside layouts inside _app, nothing injected without islands", () => {
  const html = renderDocument({
    app: App,
    layouts: [Layout, Layout],
    page: () => h("p", null, "hi"),
    props,
  }, planner);
  assert.equal(
    html,
    "<!DOCTYPE html><html><head><title>t</title></head><body><section><section><p>hi</p>" +
      "</section></section></body></html>",
  );
});

Deno.test("renderDocument: islands get markers, one payload and scripts; nested ones don't", () => {
  const unregister = registerIslands([
    { id: "Card", component: Card },
    { id: "Badge", component: Badge },
  ]);
  try {
    planned.length = 0;
    const html = renderDocument({
      app: App,
      layouts: [],
      page: () => h("main", null, h(Card, { title: "A" }), h(Badge, { text: "top" })),
      props,
    }, planner);
    assert.equal(
      html,
      '<!DOCTYPE html><html><head><title>t</title><link rel="modulepreload" href="/m.js"></head>' +
        '<body><main><craveny-island data-island="Card" data-index="0" style="display:contents">' +
        "<div>A<b>inner</b></div></craveny-island>" +
        '<craveny-island data-island="Badge" data-index="1" style="display:contents"><b>top</b>' +
        '</craveny-island></main><script type="application/json" id="__craveny_islands">' +
        '{"modules":{"Card":"/Card.js","Badge":"/Badge.js"},' +
        '"props":[{"title":"A"},{"text":"top"}],"signals":[]}</script>' +
        '<script type="module" src="/r.js"></script></body></html>',
    );
    assert.deepEqual(planned, [{ islands: ["Card", "Badge"], hasSignals: false }]);
  } finally {
    unregister();
  }
  // Once unregistered, the same components render as plain components.
  const html = renderDocument({ layouts: [], page: () => h(Badge, { text: "x" }), props }, planner);
  assert.doesNotMatch(html, /craveny-island|<script/);
  assert.match(html, /^<!DOCTYPE html><html><head><meta charset="utf-8"\/>/);
});

Deno.test("renderDocument: island JSX children are refused with a clear error", () => {
  const unregister = registerIslands([
    { id: "Card", component: Card },
  ]);
  try {
    assert.throws(
      () =>
        renderDocument({
          layouts: [],
          page: () => h(Card, { title: "A" }, h("p", null, "child")),
          props,
        }, planner),
      /Island "Card": prop "children" holds JSX: island children are not supported/,
    );
  } finally {
    unregister();
  }
});
