// A local Telegram Bot API server for one bot token, for the bot and alert tests. No test reaches
// the real Telegram.
//
// Start:  `await using tg = startFakeTelegram({ limits: SCALED })` (or `tg.close()` when done).
//         Point grammY at it with `client: { apiRoot: tg.apiRoot }` and token `tg.token`
//         (env: TELEGRAM_API_ROOT=tg.apiRoot, TELEGRAM_BOT_TOKEN=tg.token).
// Speaks: `POST|GET /bot<TOKEN>/<method>` with a JSON, urlencoded or multipart body (or a query
//         string); answers `{ok:true,result}` or `{ok:false,error_code,description,parameters?}`.
//         Methods: getMe, sendMessage, editMessageText, answerCallbackQuery, setWebhook,
//         deleteWebhook, getWebhookInfo, getUpdates, setMyCommands, getMyCommands. Others: 404.
// Checks: chat_id (integer or @username), text 1..4096 characters after entity parsing, and with
//         parse_mode HTML Telegram's tag set (b strong i em u ins s strike del span.tg-spoiler
//         tg-spoiler a[href] tg-emoji[emoji-id] code pre blockquote), properly nested, and the
//         entities &lt; &gt; &amp; &quot; &#N; &#xH;. Stricter than Telegram on purpose: a bare
//         `&` or another named entity is refused, so escaping bugs show up in tests.
//         setWebhook wants an https URL and a secret_token of 1-256 [A-Za-z0-9_-].
// Limits: `limits` (default Telegram's: 30 messages per 1 s overall, 1 per 1 s per chat, 20 per
//         60 s per group chat — group chats have negative ids) are sliding windows over accepted
//         sendMessage calls; a call over any of them gets 429 with `parameters.retry_after` in
//         whole seconds (at least 1), like Telegram, whose 429s do not say which limit was hit.
//         `limits: false` turns enforcement off. editMessageText is not rate limited here.
// Controls: blockChat / unblockChat, failNext (500 as Telegram's JSON, 502 as a proxy's HTML
//         page), stallNext (hold calls before or after they take effect), rejectToken (401 to
//         everything), pushUpdate (the getUpdates queue; 409 while a webhook is set; a newer
//         getUpdates ends an older waiting one with 409, as Telegram does).
// Records: `messages` (every accepted sendMessage and edit: chat, raw text, plain text, time),
//         `calls` (every call: method, chat, status, time), `stats()` (per-method counts, 429s
//         issued, injected failures, and the highest rate seen per window over accepted and over
//         attempted sends), `webhook`, `commands`, `callbackAnswers`.

/** At most `count` messages in any `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

export interface FakeTelegramLimits {
  global: RateLimit;
  chat: RateLimit;
  group: RateLimit;
}

/** Telegram's documented limits: 30 messages/s overall, 1/s per chat, 20/min per group. */
export const TELEGRAM_LIMITS: FakeTelegramLimits = {
  global: { count: 30, windowMs: 1000 },
  chat: { count: 1, windowMs: 1000 },
  group: { count: 20, windowMs: 60_000 },
};

export interface FakeTelegramOptions {
  /** Default "123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz" (passes config validation). */
  token?: string;
  /** Default TELEGRAM_LIMITS; false: no enforcement. */
  limits?: FakeTelegramLimits | false;
  /** The bot's username in getMe (default "craveny_test_bot"). */
  username?: string;
  /** Accept http:// webhook URLs (Telegram wants https). Default false. */
  allowHttpWebhook?: boolean;
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number;
}

export interface DeliveredMessage {
  kind: "send" | "edit";
  messageId: number;
  chatId: number | string;
  /** The text as sent (HTML source when parse_mode is HTML). */
  text: string;
  /** The text as a user sees it: tags removed, entities decoded. */
  plainText: string;
  parseMode: string | null;
  replyMarkup: unknown;
  /** When the server accepted it (ms since the epoch). */
  at: number;
}

export interface RecordedCall {
  method: string;
  chatId: number | string | null;
  /** HTTP status answered (200, 400, 429…). */
  status: number;
  at: number;
}

export interface WebhookState {
  url: string;
  secretToken: string | null;
  maxConnections: number;
  allowedUpdates: string[] | null;
}

export interface BotCommand {
  command: string;
  description: string;
}

/** Highest number of sends seen in any window of the limit's length. */
export interface ObservedRates {
  global: number;
  /** Highest over all chats. */
  chat: number;
  /** Highest over group chats (negative ids). */
  group: number;
}

export interface FakeTelegramStats {
  calls: Record<string, number>;
  tooManyRequests: number;
  injectedFailures: number;
  /** Over accepted sendMessage calls (never above the limits while they are enforced). */
  accepted: ObservedRates;
  /** Over every sendMessage call that passed validation, 429s included: what the client tried. */
  attempted: ObservedRates;
}

export interface StallOptions {
  /** How many calls to hold (default 1). */
  count?: number;
  /** Only calls of this method (default: any). */
  method?: string;
  /** Hold for this long; default until `release()` (or close()). */
  ms?: number;
  /**
   * true: the call takes effect (the message is delivered) and only the answer is held, the
   * ambiguous case for a client that times out. false (default): held before anything happens.
   */
  afterEffect?: boolean;
}

export interface FailOptions {
  /** How many calls fail (default 1). */
  count?: number;
  status?: 500 | 502;
  method?: string;
}

export type BlockReason = "blocked" | "kicked" | "not_found";

export interface FakeTelegram extends AsyncDisposable {
  readonly token: string;
  /** "http://127.0.0.1:PORT": grammY's `apiRoot`. */
  readonly apiRoot: string;
  readonly messages: readonly DeliveredMessage[];
  readonly calls: readonly RecordedCall[];
  readonly webhook: WebhookState | null;
  /** setMyCommands per scope/language key (`JSON.stringify([scope ?? null, language ?? ""])`). */
  readonly commands: ReadonlyMap<string, BotCommand[]>;
  readonly callbackAnswers: readonly { id: string; text: string | null; showAlert: boolean }[];
  /** Updates queued and not yet confirmed by a getUpdates offset. */
  readonly pendingUpdates: number;
  /** Messages delivered to one chat, in order. */
  messagesTo(chatId: number | string): DeliveredMessage[];
  stats(): FakeTelegramStats;
  /** Queues an update for getUpdates; `update_id` is assigned when missing. Returns it. */
  pushUpdate(update: Record<string, unknown>): number;
  blockChat(chatId: number, reason?: BlockReason): void;
  unblockChat(chatId: number): void;
  failNext(options?: FailOptions): void;
  stallNext(options?: StallOptions): { release(): void };
  /** Answer 401 Unauthorized to every call (true) or stop doing so (false). */
  rejectToken(on?: boolean): void;
  close(): Promise<void>;
}

export const FAKE_BOT_TOKEN = "123456:TEST-fake-token-abcdefghijklmnopqrstuvwxyz";

const MAX_TEXT = 4096;

type Params = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

export function startFakeTelegram(options: FakeTelegramOptions = {}): FakeTelegram {
  const token = options.token ?? FAKE_BOT_TOKEN;
  const botId = Number(token.split(":")[0]);
  const limits = options.limits === undefined ? TELEGRAM_LIMITS : options.limits;
  const now = options.clock ?? Date.now;
  const username = options.username ?? "craveny_test_bot";

  const messages: DeliveredMessage[] = [];
  const calls: RecordedCall[] = [];
  const callCounts: Record<string, number> = {};
  const commands = new Map<string, BotCommand[]>();
  const callbackAnswers: { id: string; text: string | null; showAlert: boolean }[] = [];
  const blocked = new Map<number, BlockReason>();
  const failures: { count: number; status: 500 | 502; method?: string }[] = [];
  const stalls: (StallOptions & { left: number; gate: Promise<void> })[] = [];
  const releases = new Set<() => void>();
  const acceptedTimes: { chat: number | string; at: number }[] = [];
  const attemptedTimes: { chat: number | string; at: number }[] = [];
  const updates: Record<string, unknown>[] = [];
  const sentText = new Map<string, string>();
  let webhook: WebhookState | null = null;
  let tokenRejected = false;
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let tooManyRequests = 0;
  let injectedFailures = 0;
  let closed = false;
  let poller: { finish(conflict: boolean): void } | null = null;
  const updateListeners = new Set<() => void>();

  const windows = new Map<string, number[]>();
  const recent = (key: string, windowMs: number, at: number) => {
    const times = windows.get(key) ?? [];
    while (times.length && times[0] <= at - windowMs) times.shift();
    windows.set(key, times);
    return times;
  };

  /** Throws 429 when one more send to `chat` now would exceed a limit; else counts it. */
  const admit = (chat: number | string, at: number) => {
    if (!limits) return;
    const checks: [string, RateLimit][] = [["global", limits.global], [
      `chat:${chat}`,
      limits.chat,
    ]];
    if (typeof chat === "number" && chat < 0) checks.push([`group:${chat}`, limits.group]);
    let waitMs = 0;
    for (const [key, limit] of checks) {
      const times = recent(key, limit.windowMs, at);
      if (times.length >= limit.count) {
        waitMs = Math.max(waitMs, times[times.length - limit.count] + limit.windowMs - at);
      }
    }
    if (waitMs > 0) {
      tooManyRequests++;
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
    }
    for (const [key] of checks) windows.get(key)!.push(at);
  };

  const chatOf = (chatId: number | string) => {
    if (typeof chatId === "string") {
      return { id: -1001, type: "channel", username: chatId.slice(1) };
    }
    if (chatId > 0) return { id: chatId, type: "private", first_name: `User ${chatId}` };
    return { id: chatId, type: chatId < -1e12 ? "supergroup" : "group", title: `Group ${chatId}` };
  };

  const botUser = {
    id: botId,
    is_bot: true,
    first_name: "Craveny Test",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };

  const checkReachable = (chatId: number | string) => {
    if (typeof chatId !== "number") return;
    const reason = blocked.get(chatId);
    if (reason === "blocked") throw new ApiError(403, "Forbidden: bot was blocked by the user");
    if (reason === "kicked") {
      throw new ApiError(403, "Forbidden: bot was kicked from the group chat");
    }
    if (reason === "not_found") throw badRequest("chat not found");
  };

  const methods: Record<string, (params: Params, at: number) => unknown> = {
    getme: () => botUser,
    sendmessage(params, at) {
      const chatId = chatIdParam(params);
      const parseMode = parseModeParam(params);
      const plainText = textParam(params, parseMode);
      const replyMarkup = jsonParam(params, "reply_markup");
      checkReachable(chatId);
      attemptedTimes.push({ chat: chatId, at });
      admit(chatId, at);
      acceptedTimes.push({ chat: chatId, at });
      const messageId = nextMessageId++;
      const text = String(params.text);
      messages.push({
        kind: "send",
        messageId,
        chatId,
        text,
        plainText,
        parseMode,
        replyMarkup,
        at,
      });
      sentText.set(`${chatId}:${messageId}`, text);
      return { message_id: messageId, from: botUser, chat: chatOf(chatId), date: sec(at), text };
    },
    editmessagetext(params, at) {
      if (params.inline_message_id !== undefined) return true;
      const chatId = chatIdParam(params);
      const messageId = intParam(params, "message_id");
      const parseMode = parseModeParam(params);
      const plainText = textParam(params, parseMode);
      checkReachable(chatId);
      const key = `${chatId}:${messageId}`;
      const before = sentText.get(key);
      if (before === undefined) throw badRequest("message to edit not found");
      const text = String(params.text);
      if (before === text) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      sentText.set(key, text);
      messages.push({
        kind: "edit",
        messageId,
        chatId,
        text,
        plainText,
        parseMode,
        replyMarkup: jsonParam(params, "reply_markup"),
        at,
      });
      return {
        message_id: messageId,
        from: botUser,
        chat: chatOf(chatId),
        date: sec(at),
        edit_date: sec(at),
        text,
      };
    },
    answercallbackquery(params) {
      const id = params.callback_query_id;
      if (typeof id !== "string" || !id) throw badRequest("query_id_invalid");
      const text = params.text === undefined ? null : String(params.text);
      if (text !== null && text.length > 200) throw badRequest("message is too long");
      callbackAnswers.push({ id, text, showAlert: boolParam(params, "show_alert") });
      return true;
    },
    setwebhook(params) {
      const url = params.url === undefined ? "" : String(params.url);
      if (url === "") {
        webhook = null;
        return true;
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw badRequest("bad webhook: invalid URL");
      }
      if (
        parsed.protocol !== "https:" && !(options.allowHttpWebhook && parsed.protocol === "http:")
      ) {
        throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      }
      const secret = params.secret_token === undefined ? null : String(params.secret_token);
      if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
        throw badRequest("bad webhook: secret token contains unallowed characters");
      }
      if (boolParam(params, "drop_pending_updates")) updates.length = 0;
      const allowed = jsonParam(params, "allowed_updates");
      webhook = {
        url,
        secretToken: secret,
        maxConnections: params.max_connections === undefined
          ? 40
          : intParam(params, "max_connections"),
        allowedUpdates: Array.isArray(allowed) ? allowed.map(String) : null,
      };
      poller?.finish(true);
      return true;
    },
    deletewebhook(params) {
      webhook = null;
      if (boolParam(params, "drop_pending_updates")) updates.length = 0;
      return true;
    },
    getwebhookinfo: () => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: webhook ? updates.length : 0,
      max_connections: webhook?.maxConnections,
      allowed_updates: webhook?.allowedUpdates ?? undefined,
    }),
    setmycommands(params) {
      const list = jsonParam(params, "commands");
      if (!Array.isArray(list)) throw badRequest('parameter "commands" is required');
      if (list.length > 100) throw badRequest("too many commands specified");
      const parsed = list.map((item) => {
        const { command, description } = (item ?? {}) as Record<string, unknown>;
        if (typeof command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command)) {
          throw badRequest("BOT_COMMAND_INVALID");
        }
        if (typeof description !== "string" || description.length < 1 || description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
        return { command, description };
      });
      commands.set(commandKey(params), parsed);
      return true;
    },
    getmycommands: (params) => commands.get(commandKey(params)) ?? [],
  };

  /** getUpdates: answers at once when updates wait, else when one is pushed or `timeout` ends. */
  const getUpdates = async (params: Params) => {
    if (webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = params.offset === undefined ? 0 : intParam(params, "offset");
    const limit = params.limit === undefined ? 100 : intParam(params, "limit");
    const timeout = params.timeout === undefined ? 0 : intParam(params, "timeout");
    if (offset > 0) {
      while (updates.length && (updates[0].update_id as number) < offset) updates.shift();
    } else if (offset < 0) {
      updates.splice(0, Math.max(0, updates.length + offset));
    }
    const take = () => updates.slice(0, Math.min(Math.max(limit, 1), 100));
    if (updates.length || timeout <= 0 || closed) return take();
    poller?.finish(true);
    const conflict = await new Promise<boolean>((resolve) => {
      const finish = (conflict: boolean) => {
        clearTimeout(timer);
        updateListeners.delete(listener);
        if (poller?.finish === finish) poller = null;
        resolve(conflict);
      };
      const listener = () => finish(false);
      const timer = setTimeout(listener, timeout * 1000);
      updateListeners.add(listener);
      poller = { finish };
    });
    if (conflict) {
      throw new ApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
    }
    return take();
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return reply(new ApiError(404, "Not Found"));
    const method = match[2].toLowerCase();
    let params: Params;
    try {
      params = await readParams(request, url);
    } catch {
      return reply(badRequest("invalid request body"));
    }
    const record = (status: number) => {
      const chatId = typeof params.chat_id === "string" && /^-?\d+$/.test(params.chat_id)
        ? Number(params.chat_id)
        : (params.chat_id as number | string | undefined) ?? null;
      calls.push({ method: match[2], chatId, status, at: now() });
      callCounts[match[2]] = (callCounts[match[2]] ?? 0) + 1;
    };
    if (decodeURIComponent(match[1]) !== token || tokenRejected) {
      record(401);
      return reply(new ApiError(401, "Unauthorized"));
    }
    const stall = stalls.find((s) =>
      s.left > 0 && (!s.method || s.method.toLowerCase() === method)
    );
    if (stall) stall.left--;
    if (stall && !stall.afterEffect) await stall.gate;
    const failure = failures.find((f) =>
      f.count > 0 && (!f.method || f.method.toLowerCase() === method)
    );
    let response: Response;
    if (failure) {
      failure.count--;
      injectedFailures++;
      response = failure.status === 502
        ? new Response(
          "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n",
          { status: 502, headers: { "content-type": "text/html" } },
        )
        : reply(new ApiError(500, "Internal Server Error"));
    } else {
      try {
        const result = method === "getupdates"
          ? await getUpdates(params)
          : methods[method]?.(params, now());
        response = result === undefined
          ? reply(new ApiError(404, "Not Found: method not found"))
          : Response.json({ ok: true, result });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        response = reply(error);
      }
    }
    record(response.status);
    if (stall?.afterEffect) await stall.gate;
    return response;
  };

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handle);

  const close = async () => {
    if (closed) return;
    closed = true;
    for (const release of [...releases]) release();
    for (const listener of [...updateListeners]) listener();
    await server.shutdown();
  };

  const rates = (times: { chat: number | string; at: number }[]): ObservedRates => {
    const l = limits || TELEGRAM_LIMITS;
    const byChat = new Map<number | string, number[]>();
    for (const { chat, at } of times) {
      const list = byChat.get(chat);
      if (list) list.push(at);
      else byChat.set(chat, [at]);
    }
    let chat = 0;
    let group = 0;
    for (const [id, list] of byChat) {
      chat = Math.max(chat, maxInWindow(list, l.chat.windowMs));
      if (typeof id === "number" && id < 0) {
        group = Math.max(group, maxInWindow(list, l.group.windowMs));
      }
    }
    return { global: maxInWindow(times.map((t) => t.at), l.global.windowMs), chat, group };
  };

  return {
    token,
    apiRoot: `http://127.0.0.1:${server.addr.port}`,
    messages,
    calls,
    get webhook() {
      return webhook;
    },
    commands,
    callbackAnswers,
    get pendingUpdates() {
      return updates.length;
    },
    messagesTo: (chatId) => messages.filter((m) => m.chatId === chatId),
    stats: () => ({
      calls: { ...callCounts },
      tooManyRequests,
      injectedFailures,
      accepted: rates(acceptedTimes),
      attempted: rates(attemptedTimes),
    }),
    pushUpdate(update) {
      const id = typeof update.update_id === "number" ? update.update_id : nextUpdateId;
      nextUpdateId = Math.max(nextUpdateId, id + 1);
      updates.push({ ...update, update_id: id });
      for (const listener of [...updateListeners]) listener();
      return id;
    },
    blockChat: (chatId, reason = "blocked") => void blocked.set(chatId, reason),
    unblockChat: (chatId) => void blocked.delete(chatId),
    failNext: ({ count = 1, status = 500, method } = {}) =>
      void failures.push({ count, status, method }),
    stallNext({ count = 1, method, ms, afterEffect = false } = {}) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = () => {
          releases.delete(release);
          resolve();
        };
      });
      releases.add(release);
      if (ms !== undefined) setTimeout(release, ms);
      stalls.push({ left: count, method, afterEffect, gate });
      return { release };
    },
    rejectToken: (on = true) => void (tokenRejected = on),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Highest number of `times` (ascending) within any half-open window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[start] <= times[end] - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function reply(error: ApiError): Response {
  return Response.json({
    ok: false,
    error_code: error.code,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  }, { status: error.code });
}

const sec = (ms: number) => Math.floor(ms / 1000);

async function readParams(request: Request, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  if (request.method !== "POST") return params;
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await request.text();
    if (!text.trim()) return params;
    const body = JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("body");
    return { ...params, ...body };
  }
  if (type.includes("form")) {
    const form = await request.formData();
    for (const [key, value] of form) params[key] = typeof value === "string" ? value : value.name;
  }
  return params;
}

function chatIdParam(params: Params): number | string {
  const raw = params.chat_id;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw !== 0) return raw;
  if (typeof raw === "string" && /^-?\d+$/.test(raw) && Number(raw) !== 0) return Number(raw);
  if (typeof raw === "string" && /^@\w{5,32}$/.test(raw)) return raw;
  if (raw === undefined || raw === "") throw badRequest("chat_id is empty");
  throw badRequest("chat not found");
}

function intParam(params: Params, name: string): number {
  const raw = params[name];
  const value = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw badRequest(`field "${name}" must be an integer`);
  }
  return value;
}

function boolParam(params: Params, name: string): boolean {
  const raw = params[name];
  return raw === true || raw === "true" || raw === "1";
}

function jsonParam(params: Params, name: string): unknown {
  const raw = params[name];
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

function parseModeParam(params: Params): string | null {
  const raw = params.parse_mode;
  if (raw === undefined || raw === "") return null;
  if (raw === "HTML" || raw === "MarkdownV2" || raw === "Markdown") return raw;
  throw badRequest(`unsupported parse_mode`);
}

function commandKey(params: Params): string {
  const scope = jsonParam(params, "scope") ?? null;
  return JSON.stringify([scope, params.language_code ?? ""]);
}

/** The text as the user sees it, after validating its length (and its HTML when parsed). */
function textParam(params: Params, parseMode: string | null): string {
  if (typeof params.text !== "string" && typeof params.text !== "number") {
    throw badRequest("message text is empty");
  }
  const text = String(params.text);
  const plain = parseMode === "HTML" ? parseTelegramHtml(text) : text;
  if (!plain.trim()) throw badRequest("message text is empty");
  if (plain.length > MAX_TEXT) throw badRequest("message is too long");
  return plain;
}

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/**
 * Telegram's HTML parse mode: returns the plain text, or throws 400 "can't parse entities" as
 * Telegram does (offsets in UTF-8 bytes).
 */
export function parseTelegramHtml(html: string): string {
  const fail = (what: string, at: number): never => {
    const offset = new TextEncoder().encode(html.slice(0, at)).length;
    throw badRequest(`can't parse entities: ${what} at byte offset ${offset}`);
  };
  const open: string[] = [];
  let plain = "";
  let i = 0;
  while (i < html.length) {
    const char = html[i];
    if (char === "&") {
      const entity = /^&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      if (!entity) fail("Unsupported HTML entity or bare '&'", i);
      const name = entity![1];
      if (name.startsWith("#")) {
        const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          fail("Invalid character code", i);
        }
        plain += String.fromCodePoint(code);
      } else {
        const decoded = NAMED_ENTITIES[name];
        if (decoded === undefined) fail(`Unsupported HTML entity "&${name};"`, i);
        plain += decoded;
      }
      i += entity![0].length;
    } else if (char === "<") {
      const end = tagEnd(html, i);
      if (end < 0) fail("Unclosed start tag", i);
      const inside = html.slice(i + 1, end);
      if (inside.startsWith("/")) {
        const name = inside.slice(1).trim().toLowerCase();
        if (!open.length) fail(`Unexpected end tag "${name}"`, i);
        const expected = open.pop()!;
        if (name !== expected) {
          fail(`Can't find end tag corresponding to start tag "${expected}"`, i);
        }
      } else {
        const tag =
          /^([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*$/
            .exec(inside);
        if (!tag) fail("Invalid tag", i);
        const name = tag![1].toLowerCase();
        if (!ALLOWED_TAGS.has(name)) fail(`Unsupported start tag "${name}"`, i);
        const attributes = tag![2];
        if (name === "a" && !/\bhref\s*=/.test(attributes)) fail(`Tag "a" must have href`, i);
        if (name === "span" && !/\bclass\s*=\s*["']?tg-spoiler\b/.test(attributes)) {
          fail(`Tag "span" must have class "tg-spoiler"`, i);
        }
        if (name === "tg-emoji" && !/\bemoji-id\s*=/.test(attributes)) {
          fail(`Tag "tg-emoji" must have emoji-id`, i);
        }
        if (/&(?!(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot);)/.test(attributes)) {
          fail("Unsupported HTML entity or bare '&' in an attribute", i);
        }
        open.push(name);
      }
      i = end + 1;
    } else if (char === ">") {
      fail("Unexpected '>'; use &gt;", i);
    } else {
      plain += char;
      i++;
    }
  }
  if (open.length) fail(`Can't find end tag corresponding to start tag "${open.at(-1)}"`, i);
  return plain;
}

/** Index of the `>` closing the tag opened at `start`, skipping quoted attribute values. */
function tagEnd(html: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < html.length; i++) {
    const char = html[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === ">") return i;
    else if (char === "<") return -1;
  }
  return -1;
}
