import assert from "node:assert/strict";
import { runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("deno task stocks manages the universe and the feeds from a shell", async () => {
  await using dataDir = await tempDir("craveny-stocks-task-");
  const stocks = (...args: string[]) =>
    runDeno(["run", "-A", "tasks/stocks.ts", ...args], {
      cwd: root,
      // Empty values select the embedded defaults even where CI exports real service URLs.
      env: { DATA_DIR: dataDir.path, DATABASE_URL: "", REDIS_URL: "", MILVUS_ADDRESS: "" },
    });

  const added = await stocks(
    "add",
    "brk-b",
    "--name",
    "Berkshire Hathaway",
    "--exchange",
    "NYSE",
    "--alias",
    "Berkshire",
  );
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, "BRK-B: Berkshire Hathaway (NYSE, equity, active)\n");

  assert.equal((await stocks("deactivate", "TSLA")).stdout, "TSLA is now inactive\n");
  const active = (await stocks("list")).stdout;
  assert.match(active, /^BRK-B +NYSE +active +Berkshire Hathaway \(aliases: Berkshire\)$/m);
  assert.doesNotMatch(active, /^TSLA/m);
  assert.match((await stocks("list", "--all")).stdout, /^TSLA +NASDAQ +inactive/m);

  const feed = await stocks("add-feed", "https://news.example/aapl.rss", "--symbol", "AAPL");
  assert.equal(feed.stdout, "added: feed 1 https://news.example/aapl.rss\n");
  assert.equal((await stocks("feeds")).stdout, "   1 https://news.example/aapl.rss\n");
  assert.equal((await stocks("remove-feed", "1")).stdout, "removed feed 1\n");

  const missing = await stocks("add", "X");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^craveny: add needs --name and --exchange/);
  const badFeed = await stocks("add-feed", "ftp://news.example/feed");
  assert.equal(badFeed.code, 2);
  assert.match(badFeed.stderr, /^craveny: feed URL must be http\(s\)/);
  const unknown = await stocks("activate", "NOPE");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^craveny: no stock NOPE/);
});
