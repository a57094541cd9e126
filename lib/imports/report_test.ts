import assert from "node:assert/strict";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { csvField, RejectionReport, reportPath } from "./report.ts";

Deno.test("csvField quotes only when needed", () => {
  assert.equal(csvField("plain reason"), "plain reason");
  assert.equal(csvField(12), "12");
  assert.equal(csvField('a "b", c'), '"a ""b"", c"');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
});

Deno.test("reportPath: file stem and a UTC stamp", () => {
  assert.equal(
    reportPath(
      "data/import-reports/",
      "../x/prices_daily.csv",
      new Date("2024-05-06T07:08:09.123Z"),
    ),
    "data/import-reports/prices_daily-20240506T070809Z.rejected.csv",
  );
});

Deno.test("RejectionReport: keeps the first few, writes all, creates nothing when clean", async () => {
  await using dir = await tempDir("craveny-report-");
  const report = new RejectionReport(`${dir.path}/sub/r.csv`, 2);
  for (let line = 2; line < 7; line++) report.add({ at: line, reason: `bad, row ${line}` });
  assert.equal(report.count, 5);
  assert.deepEqual(report.shown.map((r) => r.at), [2, 3]);
  assert.equal(await report.close(), true);
  const text = await Deno.readTextFile(`${dir.path}/sub/r.csv`);
  assert.equal(text.split("\n")[0], "line,reason");
  assert.equal(text.split("\n")[1], '2,"bad, row 2"');
  assert.equal(text.trim().split("\n").length, 6);

  const clean = new RejectionReport(`${dir.path}/clean.csv`);
  assert.equal(await clean.close(), false);
  await assert.rejects(Deno.stat(`${dir.path}/clean.csv`), Deno.errors.NotFound);
});
