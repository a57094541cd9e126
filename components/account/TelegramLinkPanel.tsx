// The account's Telegram link: whether a chat is linked (and muted or stopped there), a one-time
// code to link one — as a t.me link that opens the bot with `/start CODE` — and unlinking.
import { PostButton, PostForm } from "../admin/PostForm.tsx";
import { UtcTime } from "../UtcTime.tsx";
import type { ChatRecord } from "../../lib/alerts/subscriptions.ts";
import { LINK_CODE_TTL_MINUTES, type LinkCode } from "../../lib/telegram/link_codes.ts";
import type { TelegramState } from "../../lib/telegram/runtime.ts";

export interface BotInfo {
  state: TelegramState;
  /** The bot's @username once it has connected. */
  username: string | null;
}

export interface LinkedChat {
  linkedAt: Date;
  chat: ChatRecord | null;
}

/** Telegram's username rule: the only text placed into the t.me link besides the code. */
const USERNAME = /^[A-Za-z0-9_]{5,32}$/;

function ChatStatus({ chat }: { chat: ChatRecord | null }) {
  if (chat?.deactivatedReason === "stopped") {
    return <p>Alerts are stopped in that chat: send /start there to turn them on again.</p>;
  }
  if (chat && !chat.active) {
    return <p>The bot can't reach that chat (it was blocked or removed): write to it again.</p>;
  }
  if (chat?.mutedUntil && chat.mutedUntil.getTime() > Date.now()) {
    return (
      <p>
        Alerts are muted until <UtcTime date={chat.mutedUntil} /> (/mute off in the chat resumes).
      </p>
    );
  }
  return null;
}

export function TelegramLinkPanel(
  { bot, linked, code, csrf }: {
    bot: BotInfo;
    linked: LinkedChat | null;
    code: LinkCode | null;
    csrf: string;
  },
) {
  const username = bot.username && USERNAME.test(bot.username) ? bot.username : null;
  return (
    <section class="panel panel-wide" aria-labelledby="telegram-title">
      <h2 id="telegram-title">Telegram alerts</h2>
      {bot.state === "off"
        ? <p>Telegram alerts are not enabled on this server: no bot token is set.</p>
        : (
          <>
            {linked
              ? (
                <>
                  <p>
                    A Telegram chat is linked to this account since{" "}
                    <UtcTime date={linked.linkedAt} />.
                  </p>
                  <ChatStatus chat={linked.chat} />
                </>
              )
              : <p>No Telegram chat is linked yet. Link one to receive alerts there.</p>}
            {bot.state !== "polling" && bot.state !== "webhook" && (
              <p class="muted">
                The bot is not connected right now; a code still works once it is.
              </p>
            )}
            {code && (
              <div class="link-code" role="status">
                <p>
                  Your link code: <code>{code.code}</code>, valid once until{" "}
                  <UtcTime date={code.expiresAt} /> ({LINK_CODE_TTL_MINUTES} minutes).
                </p>
                {username && (
                  <p>
                    <a
                      class="button-link"
                      href={`https://t.me/${username}?start=${encodeURIComponent(code.code)}`}
                    >
                      Open @{username} in Telegram
                    </a>
                  </p>
                )}
                <p>
                  Or send <code>/start {code.code}</code> to{" "}
                  {username ? `@${username}` : "the bot"}.
                </p>
              </div>
            )}
            <PostForm action="/account" intent="link-code" csrf={csrf} class="inline-form">
              <button type="submit">{linked ? "Link another chat" : "Link Telegram"}</button>
            </PostForm>
            {linked && (
              <PostButton
                action="/account"
                intent="unlink"
                csrf={csrf}
                label="Unlink Telegram"
                danger
              />
            )}
          </>
        )}
    </section>
  );
}
