import assert from "node:assert/strict";
import { openTestCaches } from "../../tests/support/cache.ts";
import { bumpDataVersion, readDataVersion } from "./data_version.ts";

for (const { name, open } of openTestCaches()) {
  Deno.test(`data version (${name}): a bump is seen by every client of the cache`, async () => {
    const [first, second] = await open(2);
    try {
      assert.equal(await readDataVersion(first), null);
      const version = await bumpDataVersion(first);
      assert.equal(await readDataVersion(second), version);
      const next = await bumpDataVersion(second);
      assert.notEqual(next, version, "a bump never repeats a version");
      assert.equal(await readDataVersion(first), next);
    } finally {
      for (const cache of [first, second]) await cache.close();
    }
  });
}
