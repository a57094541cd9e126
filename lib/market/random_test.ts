import assert from "node:assert/strict";
import { createRandom, hashKey, pick, streamOf, uniform, Xoshiro128 } from "./random.ts";

Deno.test("xoshiro128** matches its reference outputs", () => {
  // By hand from state (1, 2, 3, 4): out = rotl(s1·5, 7)·9 = rotl(10, 7)·9 = 1280·9 = 11520; the
  // update leaves s1 = 0 (second output 0), then s1 = 1029: rotl(5145, 7)·9 = 658560·9 = 5927040.
  const random = new Xoshiro128([1, 2, 3, 4]);
  assert.deepEqual([random.uint32(), random.uint32(), random.uint32()], [11520, 0, 5927040]);
  assert.throws(() => new Xoshiro128([0, 0, 0, 0]), RangeError);
});

Deno.test("the same seed gives the same stream; different seeds differ", () => {
  const draw = (seed: number) => {
    const random = createRandom(seed);
    return Array.from({ length: 20 }, () => random.uint32());
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.notDeepEqual(draw(0), draw(1));
});

Deno.test("keyed streams don't depend on the order they are drawn in", () => {
  const first = streamOf(7, "AAPL", 19000).next();
  streamOf(7, "MSFT", 19000).next();
  assert.equal(streamOf(7, "AAPL", 19000).next(), first);
  assert.notEqual(streamOf(7, "AAPL", 19001).next(), first);
  assert.notEqual(streamOf(8, "AAPL", 19000).next(), first);
});

Deno.test("key hashing is type-tagged and length-prefixed", () => {
  const hashes = [
    hashKey("ab", "c"),
    hashKey("a", "bc"),
    hashKey("abc"),
    hashKey("1"),
    hashKey(1),
    hashKey(1, 0),
    hashKey(0, 1),
    hashKey(2 ** 40),
    hashKey(-1),
    hashKey(""),
    hashKey(),
  ];
  assert.equal(new Set(hashes).size, hashes.length);
  assert.equal(hashKey("Ünïcode ✓"), hashKey("Ünïcode ✓"));
  assert.throws(() => hashKey(1.5), RangeError);
  assert.throws(() => hashKey(Number.NaN), RangeError);
});

Deno.test("uniform draws have the moments of U[0, 1)", () => {
  const random = createRandom(1);
  const n = 200_000;
  let sum = 0;
  let squares = 0;
  let min = 1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const x = random.next();
    sum += x;
    squares += x * x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(squares / n - mean * mean - 1 / 12) < 0.002);
  assert.ok(min >= 0 && max < 1);
});

Deno.test("normal draws have mean 0, variance 1 and normal tails", () => {
  const random = createRandom(2);
  const n = 200_000;
  let sum = 0;
  let squares = 0;
  let fourth = 0;
  let beyond196 = 0;
  for (let i = 0; i < n; i++) {
    const z = random.normal();
    sum += z;
    squares += z * z;
    fourth += z ** 4;
    if (Math.abs(z) > 1.96) beyond196++;
  }
  assert.ok(Math.abs(sum / n) < 0.01);
  assert.ok(Math.abs(squares / n - 1) < 0.015);
  assert.ok(Math.abs(fourth / n - 3) < 0.1, `kurtosis ${fourth / n}`);
  assert.ok(Math.abs(beyond196 / n - 0.05) < 0.003);
});

Deno.test("pick and uniform stay within their bounds", () => {
  const random = createRandom(3);
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(pick(random, ["a", "b", "c"]));
  assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
  for (let i = 0; i < 1000; i++) {
    const x = uniform(random, -2, 5);
    assert.ok(x >= -2 && x < 5);
  }
  assert.throws(() => pick(random, []), RangeError);
});
