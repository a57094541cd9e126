import assert from "node:assert/strict";
import { isUpdateEnvelope, updateProblem } from "./update_shape.ts";

const chat = { id: 5, type: "private" };
const message = { message_id: 1, date: 1, chat, text: "/help" };

Deno.test("an update needs an object with a non-negative integer update_id", () => {
  assert.equal(isUpdateEnvelope({ update_id: 0 }), true);
  for (
    const body of [null, [], "x", 5, {}, { update_id: "1" }, { update_id: -1 }, { update_id: 1.5 }]
  ) {
    assert.equal(isUpdateEnvelope(body), false, JSON.stringify(body));
  }
});

Deno.test("the parts the bot reads must be there and of the right type", () => {
  assert.equal(updateProblem({ update_id: 1, message }), null);
  assert.equal(updateProblem({ update_id: 1, unknown_kind: 5 }), null);
  assert.equal(
    updateProblem({ update_id: 1, callback_query: { id: "q", from: {}, data: "ls:0", message } }),
    null,
  );
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ message: "x" }, /message is not an object/],
    [{ message: { ...message, chat: undefined } }, /no chat/],
    [{ message: { ...message, chat: { id: "5", type: "private" } } }, /chat.id/],
    [{ message: { ...message, chat: { id: 0, type: "private" } } }, /chat.id/],
    [{ message: { ...message, chat: { id: 5, type: "bogus" } } }, /chat.type/],
    [{ message: { ...message, message_id: undefined } }, /message_id/],
    [{ message: { ...message, date: undefined } }, /date/],
    [{ message: { ...message, text: 5 } }, /text/],
    [{ message: { ...message, entities: {} } }, /entities/],
    [{ edited_message: 5 }, /edited_message is not an object/],
    [{ callback_query: { id: "q" } }, /lacks id or from/],
    [{ callback_query: { id: "q", from: {}, data: 5 } }, /data/],
    [{ callback_query: { id: "q", from: {}, message: { chat: {} } } }, /callback_query.message/],
    [{ my_chat_member: { chat } }, /new_chat_member/],
    [{ my_chat_member: { new_chat_member: { status: "kicked" } } }, /no chat/],
  ];
  for (const [update, problem] of cases) {
    assert.match(updateProblem({ update_id: 1, ...update }) ?? "", problem, JSON.stringify(update));
  }
});
