import assert from "node:assert/strict";
import { BadRequest } from "./errors.ts";
import { NO_PROBLEMS, problemsByField, validate } from "./form_problems.ts";

Deno.test("problemsByField: each problem goes to the field it names, the rest to the form", () => {
  assert.deepEqual(
    problemsByField([
      "name: expected 1–80 letters",
      "params.maxTokens: expected an integer from 16 to 16384",
      "params: expected an object",
      "the template is empty",
      "name: another model has this name",
    ]),
    {
      name: ["expected 1–80 letters", "another model has this name"],
      params: ["maxTokens: expected an integer from 16 to 16384", "expected an object"],
      "": ["the template is empty"],
    },
  );
  assert.deepEqual(problemsByField([]), NO_PROBLEMS);
  // Only a word at the very start names a field.
  assert.deepEqual(problemsByField(["1st: no", " name: no"]), { "": ["1st: no", " name: no"] });
});

Deno.test("validate: the value, or the validator's problems after the form reader's", () => {
  assert.deepEqual(validate(() => 42), { ok: true, value: 42 });
  const refuse = () => {
    throw new BadRequest("Invalid", { problems: ["name: too long", "currency: not a code"] });
  };
  assert.deepEqual(validate(refuse, ["params: expected a JSON object"]), {
    ok: false,
    problems: {
      params: ["expected a JSON object"],
      name: ["too long"],
      currency: ["not a code"],
    },
  });
  // A value that passed is still refused when the form reader found problems of its own.
  assert.deepEqual(validate(() => 42, ["params: expected a JSON object"]), {
    ok: false,
    problems: { params: ["expected a JSON object"] },
  });
});

Deno.test("validate: errors that are not a validator's problem list propagate", () => {
  assert.throws(() =>
    validate(() => {
      throw new TypeError("a bug");
    }), TypeError);
  assert.throws(() =>
    validate(() => {
      throw new BadRequest("no list", { problems: [1, 2] });
    }), /no list/);
});
