import assert from "node:assert/strict";
import { completion, withChatServer } from "../../tests/support/llm_server.ts";
import { loadConfig } from "../config.ts";
import { OPENAI_API_BASE_URL, OPENROUTER_BASE_URL } from "../net/openai_api.ts";
import { createLogger } from "../log.ts";
import { FORECAST_RESPONSE_FORMAT } from "./forecast_schema.ts";
import { createLlmClients } from "./llm_client.ts";

const OPENAI_KEY = "sk-test-openai-0123456789abcdef";
const OPENROUTER_KEY = "sk-or-test-0123456789abcdef";

function open(env: Record<string, string>) {
  const lines: string[] = [];
  const clients = createLlmClients(
    loadConfig(env),
    createLogger("debug", (line) => lines.push(line)),
  );
  return { clients, lines };
}

Deno.test("no keys: no clients", () => {
  assert.deepEqual(open({}).clients, { openai: null, openrouter: null });
});

Deno.test("a client per configured key, at the provider's URL; keys never logged", () => {
  const { clients, lines } = open({
    OPENAI_API_KEY: OPENAI_KEY,
    OPENROUTER_API_KEY: OPENROUTER_KEY,
  });
  assert.equal(clients.openai?.provider, "openai");
  assert.equal(clients.openai?.baseURL, OPENAI_API_BASE_URL);
  assert.equal(clients.openrouter?.provider, "openrouter");
  assert.equal(clients.openrouter?.baseURL, OPENROUTER_BASE_URL);
  assert.equal(lines.length, 2);
  assert.ok(!lines.join("\n").includes(OPENAI_KEY) && !lines.join("\n").includes(OPENROUTER_KEY));
  const only = open({ OPENROUTER_API_KEY: OPENROUTER_KEY }).clients;
  assert.equal(only.openai, null);
  assert.equal(only.openrouter?.baseURL, OPENROUTER_BASE_URL);
});

Deno.test("OPENAI_BASE_URL: the configured client talks to that server with its key", async () => {
  await withChatServer([completion("{}")], async (baseURL, seen) => {
    const { clients } = open({ OPENROUTER_API_KEY: OPENROUTER_KEY, OPENAI_BASE_URL: baseURL });
    assert.equal(clients.openrouter?.baseURL, baseURL);
    const reply = await clients.openrouter!.chat({
      model: "anthropic/claude-3.5-haiku",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
      maxTokens: 50,
      responseFormat: FORECAST_RESPONSE_FORMAT,
    });
    assert.deepEqual(reply, {
      content: "{}",
      refusal: null,
      finishReason: "stop",
      usage: { inputTokens: 100, outputTokens: 20 },
    });
    assert.equal(seen[0].authorization, `Bearer ${OPENROUTER_KEY}`);
    assert.equal(seen[0].body.model, "anthropic/claude-3.5-haiku");
  });
});
