import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { OfflineEmbedder } from "./offline.ts";
import { OPENAI_API_BASE_URL, OPENROUTER_BASE_URL } from "../net/openai_api.ts";
import { createEmbedder } from "./open.ts";
import { OpenAIEmbedder } from "./openai.ts";

const OPENAI_KEY = "sk-test-openai-0123456789abcdef";
const OPENROUTER_KEY = "sk-or-test-0123456789abcdef";

function open(env: Record<string, string>) {
  const lines: string[] = [];
  const embedder = createEmbedder(
    loadConfig(env),
    createLogger("debug", (line) => lines.push(line)),
  );
  return { embedder, lines };
}

Deno.test("no API key: the offline embedder, whatever EMBEDDING_* says", () => {
  const { embedder, lines } = open({ EMBEDDING_MODEL: "text-embedding-3-large" });
  assert.ok(embedder instanceof OfflineEmbedder);
  assert.equal(embedder.id, "offline:hashed-tfidf-v1:384");
  assert.match(lines[0], /"message":"embedder: offline/);
});

Deno.test("OPENAI_API_KEY: OpenAI text-embedding-3-small at 1536 dimensions by default", () => {
  const { embedder, lines } = open({
    OPENAI_API_KEY: OPENAI_KEY,
    OPENROUTER_API_KEY: OPENROUTER_KEY,
  });
  assert.ok(embedder instanceof OpenAIEmbedder);
  assert.equal(embedder.id, "openai:text-embedding-3-small:1536");
  assert.equal(embedder.baseURL, OPENAI_API_BASE_URL);
  assert.ok(!lines.join("\n").includes(OPENAI_KEY));
});

Deno.test("only OPENROUTER_API_KEY: OpenRouter, with the model id prefixed by its provider", () => {
  const { embedder } = open({ OPENROUTER_API_KEY: OPENROUTER_KEY, EMBEDDING_DIMENSIONS: "512" });
  assert.ok(embedder instanceof OpenAIEmbedder);
  assert.equal(embedder.baseURL, OPENROUTER_BASE_URL);
  assert.equal(embedder.id, "openrouter:openai/text-embedding-3-small:512");
  const custom = open({
    OPENROUTER_API_KEY: OPENROUTER_KEY,
    EMBEDDING_MODEL: "qwen/qwen3-embedding-8b",
  });
  assert.equal(custom.embedder.name, "openrouter:qwen/qwen3-embedding-8b");
});

Deno.test("OPENAI_BASE_URL: the configured embedder talks to that server", async () => {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const body = await request.json();
    assert.equal(request.headers.get("authorization"), `Bearer ${OPENAI_KEY}`);
    assert.equal(body.model, "nomic-embed-text");
    return Response.json({
      object: "list",
      data: body.input.map((_: string, index: number) => ({ index, embedding: [0.6, 0.8] })),
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });
  try {
    const { embedder } = open({
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `http://127.0.0.1:${server.addr.port}/v1`,
      EMBEDDING_MODEL: "nomic-embed-text",
      EMBEDDING_DIMENSIONS: "2",
    });
    assert.equal(embedder.id, "openai:nomic-embed-text:2");
    const result = await embedder.embed(["Fed holds rates steady", "Oil jumps"]);
    assert.deepEqual(result.vectors.map((vector) => [...vector]), [
      [Math.fround(0.6), Math.fround(0.8)],
      [Math.fround(0.6), Math.fround(0.8)],
    ]);
    assert.equal(result.tokens, 2);
  } finally {
    await server.shutdown();
  }
});
