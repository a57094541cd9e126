import assert from "node:assert/strict";
import { maxInWindow, parseTelegramHtml, startFakeTelegram } from "./fake_telegram.ts";

async function call(apiRoot: string, token: string, method: string, body: unknown = {}) {
  const response = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

Deno.test("fake Telegram enforces the overall, per-chat and per-group limits with 429", async () => {
  await using tg = startFakeTelegram({
    limits: {
      global: { count: 5, windowMs: 400 },
      chat: { count: 2, windowMs: 400 },
      group: { count: 3, windowMs: 1000 },
    },
  });
  const send = (chat_id: number) =>
    call(tg.apiRoot, tg.token, "sendMessage", { chat_id, text: "hi" });

  // Per chat: the third message within 400 ms is refused, with Telegram's shape.
  assert.equal((await send(1)).status, 200);
  assert.equal((await send(1)).status, 200);
  const limited = await send(1);
  assert.equal(limited.status, 429);
  const body = limited.json();
  assert.equal(body.ok, false);
  assert.equal(body.error_code, 429);
  assert.equal(body.parameters.retry_after, 1);
  assert.match(body.description, /^Too Many Requests: retry after 1$/);

  // Overall: 5 accepted per window, whatever the chats.
  const statuses = [];
  for (const chat of [2, 3, 4, 5]) statuses.push((await send(chat)).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);

  // Per group: a group gets 3 per second even after the other windows have passed.
  await new Promise((resolve) => setTimeout(resolve, 450));
  const group = [];
  for (let i = 0; i < 4; i++) {
    group.push((await send(-100)).status);
    await new Promise((resolve) => setTimeout(resolve, 210));
  }
  assert.deepEqual(group, [200, 200, 200, 429]);

  const stats = tg.stats();
  assert.equal(stats.tooManyRequests, 3);
  assert.deepEqual(stats.accepted, { global: 5, chat: 2, group: 3 });
  assert.equal(stats.attempted.chat, 3);
  assert.equal(tg.messages.length, 8);
});

Deno.test("fake Telegram controls: blocked chat, failures, rejected token, stalls", async () => {
  await using tg = startFakeTelegram({ limits: false });
  tg.blockChat(7);
  const blocked = (await call(tg.apiRoot, tg.token, "sendMessage", { chat_id: 7, text: "x" }))
    .json();
  assert.deepEqual(blocked, {
    ok: false,
    error_code: 403,
    description: "Forbidden: bot was blocked by the user",
  });

  tg.failNext({ count: 1, status: 500 });
  tg.failNext({ count: 1, status: 502 });
  assert.equal((await call(tg.apiRoot, tg.token, "getMe")).json().error_code, 500);
  const gateway = await call(tg.apiRoot, tg.token, "getMe");
  assert.equal(gateway.status, 502);
  assert.match(gateway.text, /Bad Gateway/);
  assert.equal((await call(tg.apiRoot, tg.token, "getMe")).json().result.is_bot, true);

  assert.equal((await call(tg.apiRoot, "1:wrong", "getMe")).status, 401);
  tg.rejectToken();
  assert.equal((await call(tg.apiRoot, tg.token, "getMe")).status, 401);
  tg.rejectToken(false);

  // A stall after the effect: the message is delivered while the answer is held.
  const stall = tg.stallNext({ method: "sendMessage", afterEffect: true });
  const pending = call(tg.apiRoot, tg.token, "sendMessage", { chat_id: 8, text: "held" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(tg.messagesTo(8).length, 1);
  stall.release();
  assert.equal((await pending).json().result.message_id, tg.messagesTo(8)[0].messageId);
});

Deno.test("fake Telegram validates text and HTML like Telegram", async () => {
  await using tg = startFakeTelegram({ limits: false });
  const send = (text: string, parse_mode?: string) =>
    call(tg.apiRoot, tg.token, "sendMessage", { chat_id: 1, text, parse_mode });
  assert.equal(
    (await send('<b>a &amp; b</b> <a href="https://x/?a=1&amp;b=2">x</a>', "HTML"))
      .status,
    200,
  );
  assert.equal(tg.messages[0].plainText, "a & b x");
  for (const bad of ["<b>open", "<div>x</div>", "a & b", "<b><i>x</b></i>", "x</b>", "&nbsp;"]) {
    const answer = (await send(bad, "HTML")).json();
    assert.equal(answer.error_code, 400, bad);
    assert.match(answer.description, /^Bad Request: can't parse entities/, bad);
  }
  // The limit counts what the user sees: 4096 characters of entities pass, 4097 do not.
  assert.equal((await send("&lt;".repeat(4096), "HTML")).status, 200);
  assert.equal(
    (await send("x".repeat(4097))).json().description,
    "Bad Request: message is too long",
  );
  assert.equal((await send("  ")).json().description, "Bad Request: message text is empty");
  assert.equal(parseTelegramHtml("&#x1F600;&#65;"), "😀A");
});

Deno.test("fake Telegram getUpdates long-polls, confirms by offset and conflicts with a webhook", async () => {
  await using tg = startFakeTelegram({ limits: false });
  const polling = call(tg.apiRoot, tg.token, "getUpdates", { timeout: 5 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const id = tg.pushUpdate({ message: { message_id: 1, text: "/start" } });
  assert.deepEqual((await polling).json().result.map((u: { update_id: number }) => u.update_id), [
    id,
  ]);
  assert.equal(tg.pendingUpdates, 1);
  const confirmed = await call(tg.apiRoot, tg.token, "getUpdates", { offset: id + 1 });
  assert.deepEqual(confirmed.json().result, []);
  assert.equal(tg.pendingUpdates, 0);

  assert.equal(
    (await call(tg.apiRoot, tg.token, "setWebhook", { url: "http://x/telegram/webhook" })).status,
    400,
  );
  await call(tg.apiRoot, tg.token, "setWebhook", {
    url: "https://x/telegram/webhook",
    secret_token: "s3cret_token-123",
  });
  assert.deepEqual(tg.webhook?.secretToken, "s3cret_token-123");
  assert.equal((await call(tg.apiRoot, tg.token, "getUpdates")).status, 409);
  assert.equal(
    (await call(tg.apiRoot, tg.token, "getWebhookInfo")).json().result.url,
    "https://x/telegram/webhook",
  );
  await call(tg.apiRoot, tg.token, "deleteWebhook");
  assert.equal((await call(tg.apiRoot, tg.token, "getUpdates")).status, 200);

  await call(tg.apiRoot, tg.token, "setMyCommands", {
    commands: [{ command: "start", description: "Link" }],
  });
  assert.deepEqual((await call(tg.apiRoot, tg.token, "getMyCommands")).json().result, [
    { command: "start", description: "Link" },
  ]);
});

Deno.test("maxInWindow counts the busiest half-open window", () => {
  assert.equal(maxInWindow([0, 100, 999, 1000, 1500], 1000), 3);
  assert.equal(maxInWindow([], 1000), 0);
});
