import assert from "node:assert/strict";
import { HttpError } from "./errors.ts";
import {
  formId,
  formOptionalText,
  formText,
  formTexts,
  formValues,
  redirectWithFlash,
} from "./form_actions.ts";

function form(pairs: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of pairs) data.append(name, value);
  return data;
}

Deno.test("form fields: trimmed text, empty for a missing field or a file", () => {
  const data = form([
    ["name", "  Apple  "],
    ["blank", "   "],
    ["file", new Blob(["x"])],
    ["alias", " A "],
    ["alias", "B"],
  ]);
  assert.equal(formText(data, "name"), "Apple");
  assert.equal(formText(data, "missing"), "");
  assert.equal(formText(data, "file"), "");
  assert.equal(formOptionalText(data, "blank"), null);
  assert.equal(formOptionalText(data, "name"), "Apple");
  assert.deepEqual(formTexts(data, "alias"), ["A", "B"]);
  assert.deepEqual(formTexts(data, "missing"), []);
});

Deno.test("formId: a positive integer, else a 400 naming the field", () => {
  assert.equal(formId(form([["id", " 17 "]]), "id"), 17);
  for (const raw of ["0", "-1", "1.5", "1e3", "", "9999999999999999", "<b>"]) {
    assert.throws(
      () => formId(form([["id", raw]]), "id"),
      (error) => error instanceof HttpError && error.status === 400 && /^id:/.test(error.message),
      raw,
    );
  }
});

Deno.test("formValues: the fields as typed, without the CSRF token and the intent", () => {
  const data = form([["csrf", "t"], ["intent", "save"], ["name", " Apple "], ["file", new Blob()]]);
  assert.deepEqual(formValues(data), { name: " Apple " });
});

Deno.test("redirectWithFlash: 303 back to the page with the flash key", () => {
  const response = redirectWithFlash("/admin/stocks", "stock-added");
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/admin/stocks?flash=stock-added");
  assert.equal(redirectWithFlash("/a", "a&b").headers.get("location"), "/a?flash=a%26b");
});
