// A local server speaking the OpenAI chat-completions protocol, answering from a script, for the
// LLM client and predictor tests. No test reaches a real provider.

/** The request body fields the predictor sends. */
export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: unknown;
}

export interface SeenRequest {
  path: string;
  authorization: string | null;
  body: ChatBody;
}

export type ChatReplyScript = (body: ChatBody, request: Request) => Response | Promise<Response>;

/**
 * Serves `replies` in turn (the last one repeats) on 127.0.0.1 and runs `test` with the base URL
 * ("http://127.0.0.1:PORT/v1") and the requests seen so far.
 */
export async function withChatServer(
  replies: ChatReplyScript[],
  test: (baseURL: string, seen: SeenRequest[]) => Promise<void>,
): Promise<void> {
  const seen: SeenRequest[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const body: ChatBody = await request.json();
    seen.push({
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      body,
    });
    return replies[Math.min(seen.length, replies.length) - 1](body, request);
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/v1`, seen);
  } finally {
    await server.shutdown();
  }
}

export interface CompletionOptions {
  finishReason?: string;
  refusal?: string;
  /** Default 100 prompt and 20 completion tokens; null leaves usage out. */
  usage?: { prompt: number; completion: number } | null;
}

/** A chat completion whose first choice says `content`. */
export function completion(content: string | null, options: CompletionOptions = {}) {
  return (body: ChatBody): Response => {
    const usage = options.usage === undefined ? { prompt: 100, completion: 20 } : options.usage;
    return Response.json({
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content, refusal: options.refusal ?? null },
        finish_reason: options.finishReason ?? "stop",
      }],
      ...(usage === null ? {} : {
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
        },
      }),
    });
  };
}

/** An API error in OpenAI's shape. */
export function apiError(
  status: number,
  options: { headers?: HeadersInit; code?: string; message?: string } = {},
): ChatReplyScript {
  return () =>
    Response.json(
      {
        error: {
          message: options.message ?? `status ${status} from test server`,
          type: "test",
          code: options.code ?? null,
        },
      },
      { status, headers: options.headers },
    );
}

/** Answers only after `ms`: longer than the client's timeout, short enough for a quick shutdown. */
export function stalled(ms: number): ChatReplyScript {
  return () => new Promise((resolve) => setTimeout(() => resolve(Response.json({})), ms));
}
