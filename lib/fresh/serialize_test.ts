import assert from "node:assert/strict";
import { computed, signal } from "@preact/signals";
import { h } from "preact";
import { escapeScriptJson, formatPath, IslandPropError, IslandPropsWriter } from "./serialize.ts";

Deno.test("IslandPropsWriter: copies JSON values and drops undefined object members", () => {
  const writer = new IslandPropsWriter();
  const shared = { n: 1 };
  const index = writer.add("Chart", {
    title: "AAPL",
    points: [1, 2.5, -3],
    meta: { ok: true, none: null, skip: undefined, a: shared, b: shared },
    missing: undefined,
    nested: Object.assign(Object.create(null), { x: 1 }),
  });
  assert.equal(index, 0);
  assert.deepEqual(writer.payload(), {
    props: [{
      title: "AAPL",
      points: [1, 2.5, -3],
      meta: { ok: true, none: null, a: { n: 1 }, b: { n: 1 } },
      nested: { x: 1 },
    }],
    signals: [],
  });
  assert.equal(writer.hasSignals, false);
});

Deno.test("IslandPropsWriter: each signal is sent once with every place it is used", () => {
  const writer = new IslandPropsWriter();
  const count = signal(3);
  const doubled = computed(() => count.value * 2);
  writer.add("A", { count, list: [count], doubled });
  writer.add("B", { count });
  const payload = writer.payload();
  assert.deepEqual(payload.props, [{ count: null, list: [null], doubled: null }, { count: null }]);
  assert.deepEqual(payload.signals, [
    { value: 3, at: [[0, "count"], [0, "list", 0], [1, "count"]] },
    { value: 6, at: [[0, "doubled"]] },
  ]);
  assert.equal(writer.hasSignals, true);
});

Deno.test("IslandPropsWriter: unserializable props throw naming island and prop path", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  class Money {
    amount = 1;
  }
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ onClick: () => {} }, /Island "X": prop "onClick" is a function/],
    [{ when: new Date() }, /prop "when" is a Date instance.*toISOString/],
    [{ deep: { list: [1, new Map()] } }, /prop "deep\.list\[1\]" is a Map instance/],
    [{ tags: new Set(["a"]) }, /prop "tags" is a Set instance/],
    [{ price: new Money() }, /prop "price" is a Money instance/],
    [{ big: 1n }, /prop "big" is a BigInt/],
    [{ list: [1, undefined] }, /prop "list\[1\]" is undefined inside an array/],
    // deno-lint-ignore no-sparse-arrays -- the hole is the point of this case
    [{ list: [1, , 3] }, /prop "list" has a hole at \[1\]/],
    [{ n: NaN }, /prop "n" is NaN/],
    [{ n: Infinity }, /prop "n" is Infinity/],
    [{ s: Symbol("x") }, /prop "s" is a symbol/],
    [{ c: cyclic }, /prop "c\.self" is a circular reference/],
    [{ "odd key": { re: /x/ } }, /prop "\["odd key"\]\.re" is a RegExp instance/],
    [{ children: h("p", null) }, /prop "children" holds JSX: island children are not supported/],
    [{ icon: h("svg", null) }, /prop "icon" is a JSX element/],
    [{ s: signal(signal(1)) }, /prop "s" is a signal inside a signal's value/],
    [{ s: signal(new Date()) }, /prop "s" is a Date instance/],
  ];
  for (const [props, message] of cases) {
    assert.throws(() => new IslandPropsWriter().add("X", props), (error: unknown) => {
      assert.ok(error instanceof IslandPropError);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("escapeScriptJson: nothing inside can end the script element", () => {
  const text = "</script><!--\u2028\u2029&";
  const json = escapeScriptJson(JSON.stringify({ text }));
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), { text });
});

Deno.test("formatPath: reads like JavaScript", () => {
  assert.equal(formatPath(["a", 0, "b-c", "d"]), 'a[0]["b-c"].d');
});
