import assert from "node:assert/strict";
import { findLoginAccount } from "../lib/auth/user_store.ts";
import { verifyPassword } from "../lib/auth/password.ts";
import { loadConfig } from "../lib/config.ts";
import { openDatabase } from "../lib/db/open.ts";
import { createLogger } from "../lib/log.ts";
import { runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;
const PASSWORD = "a long enough passphrase";

Deno.test("deno task user manages accounts from a shell", async () => {
  await using dataDir = await tempDir("craveny-user-task-");
  const user = (args: string[], stdin?: string) =>
    runDeno(["run", "-A", "tasks/user.ts", ...args], {
      cwd: root,
      // Empty values select the embedded defaults even where CI exports real service URLs.
      env: { DATA_DIR: dataDir.path, DATABASE_URL: "", REDIS_URL: "", MILVUS_ADDRESS: "" },
      stdin,
    });

  const admin = await user(
    ["create", "--admin", "--password-stdin", "Ada@Example.com"],
    `${PASSWORD}\n`,
  );
  assert.equal(admin.code, 0, admin.stderr);
  assert.equal(admin.stdout, "created admin ada@example.com (id 1)\n");
  assert.ok(!admin.stdout.includes(PASSWORD) && !admin.stderr.includes(PASSWORD));
  const investor = await user(
    ["create", "--name", "Bob <b>", "--password-stdin", "bob@example.com"],
    PASSWORD,
  );
  assert.equal(investor.stdout, "created investor bob@example.com (id 2)\n");

  const listed = (await user(["list"])).stdout;
  assert.match(listed, /^ {3}1 ada@example.com +admin +active +never signed in$/m);
  assert.match(listed, /^ {3}2 bob@example.com +investor +active +never signed in$/m);

  assert.equal(
    (await user(["role", "bob@example.com", "admin"])).stdout,
    "bob@example.com is now admin\n",
  );
  assert.equal(
    (await user(["disable", "BOB@example.com"])).stdout,
    "bob@example.com is disabled; its sessions are ended\n",
  );
  assert.match((await user(["list"])).stdout, /^ {3}2 bob@example.com +admin +disabled/m);
  assert.equal((await user(["enable", "bob@example.com"])).stdout, "bob@example.com is enabled\n");

  const mistakes: [string[], string | undefined, RegExp][] = [
    [
      ["create", "--password-stdin", "carol@example.com"],
      "short",
      /^craveny: the password needs at least 12 characters/,
    ],
    [
      ["create", "--password-stdin", "ada@example.com"],
      PASSWORD,
      /^craveny: an account for ada@example.com exists/,
    ],
    [["create", "--password-stdin", "not-an-email"], PASSWORD, /^craveny: not an email address/],
    [["create", "carol@example.com"], undefined, /^craveny: no terminal to type the password at/],
    [["role", "bob@example.com", "root"], undefined, /^craveny: expected EMAIL investor\|admin/],
    [["disable", "nobody@example.com"], undefined, /^craveny: no account nobody@example.com/],
    [["frobnicate"], undefined, /^craveny: unknown command "frobnicate"/],
  ];
  for (const [args, stdin, message] of mistakes) {
    const result = await user(args, stdin);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, message);
  }

  // The password went through stdin intact: the stored hash verifies it.
  const db = await openDatabase(
    loadConfig({ DATA_DIR: dataDir.path }),
    createLogger("error", () => {}),
  );
  try {
    const stored = await findLoginAccount(db.sql, "ada@example.com");
    assert.equal(stored?.user.role, "admin");
    assert.ok((await verifyPassword(PASSWORD, stored!.passwordHash)).ok);
  } finally {
    await db.close();
  }
});
