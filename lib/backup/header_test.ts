import assert from "node:assert/strict";
import { BackupError } from "./errors.ts";
import { type BackupHeader, parseHeader, schemaVersion } from "./header.ts";

const SHA = "a".repeat(64);

function header(overrides: Record<string, unknown> = {}): BackupHeader & Record<string, unknown> {
  return {
    format: "craveny-backup",
    version: 1,
    createdAt: "2025-06-30T23:00:00.000Z",
    source: { kind: "embedded", serverVersion: "18.6" },
    migrations: [
      { version: 1, name: "initial", checksum: SHA },
      { version: 2, name: "ingestion", checksum: SHA },
    ],
    tables: [
      {
        name: "stock",
        columns: ["id", "symbol"],
        rows: 2,
        sha256: SHA,
        sequences: [{ column: "id", lastValue: 2 }],
      },
      { name: "telegram_chat", columns: ["chat_id"], rows: 0, sha256: SHA, sequences: [] },
    ],
    ...overrides,
  };
}

function refused(value: unknown, message: string) {
  assert.throws(
    () => parseHeader(typeof value === "string" ? value : JSON.stringify(value), "x.backup"),
    (error: Error) => error instanceof BackupError && error.message === message,
  );
}

Deno.test("parseHeader accepts a well-formed header; schemaVersion is its last migration", () => {
  const parsed = parseHeader(JSON.stringify(header()), "x.backup");
  assert.deepEqual(parsed, header());
  assert.equal(schemaVersion(parsed), 2);
});

Deno.test("parseHeader names what is wrong", () => {
  const invalid = (problem: string) => `x.backup has an invalid header: ${problem}`;
  refused("PK\u0003\u0004", "x.backup is not a Craveny backup (its header is missing)");
  refused(
    { ...header(), format: "pg_dump" },
    "x.backup is not a Craveny backup (its header is missing)",
  );
  refused(
    header({ version: 2 }),
    "x.backup has backup format version 2, but this code reads version 1 only: restore it with " +
      "the Craveny release that wrote it",
  );
  refused(header({ createdAt: "yesterday" }), invalid("createdAt is not a date"));
  refused(header({ source: { kind: "sqlite" } }), invalid("source is invalid"));
  refused(header({ migrations: [] }), invalid("it lists no migrations"));
  refused(header({ tables: [] }), invalid("it lists no tables"));
  refused(
    header({ migrations: [{ version: 1, name: "initial", checksum: "abc" }] }),
    invalid("migration 1 has no valid name or checksum"),
  );
  const [stock, chat] = header().tables;
  refused(
    header({ tables: [{ ...stock, rows: -1 }] }),
    invalid("table stock has no valid row count or checksum"),
  );
  refused(
    header({ tables: [{ ...stock, columns: [] }] }),
    invalid("table stock has no valid column list"),
  );
  refused(
    header({ tables: [{ ...stock, sequences: [{ column: "price", lastValue: 1 }] }] }),
    invalid("table stock has an invalid sequence list"),
  );
  refused(header({ tables: [stock, chat, stock] }), invalid("table stock appears twice"));
});
