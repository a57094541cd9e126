// What the bot says, as Telegram HTML, pure: every value that came from a person, a model or the
// database goes through escapeHtml (lib/alerts/format.ts), so a symbol, a model name or a reasoning
// line can never add markup. The handlers (lib/telegram/commands/) only fetch and send.
import type { InlineKeyboardMarkup } from "grammy/types";
import {
  directionLabel,
  escapeHtml,
  stockUrl,
  TELEGRAM_MESSAGE_LIMIT,
  truncateHtmlLine,
  winRateLabel,
} from "../alerts/format.ts";
import { describeRule } from "../alerts/subscription_input.ts";
import type { Subscription } from "../alerts/subscriptions.ts";
import type { PriceBar } from "../market/store.ts";
import { collapseWhitespace, truncateText } from "../news/html_text.ts";
import type { LeaderboardSummary } from "../overview/dashboard.ts";
import { count, percent, signedPercent } from "../predict/format.ts";
import type { ListedPrediction } from "../predictions/query.ts";
import type { Stock } from "../stocks/stock.ts";
import { MUTE_HOURS } from "./args.ts";
import type { Redemption } from "./link_codes.ts";

/** Rules per /list page: ten described rules stay far below Telegram's 4096 characters. */
export const RULES_PER_PAGE = 10;
const NAME_LENGTH = 80;

export interface Reply {
  text: string;
  keyboard?: InlineKeyboardMarkup;
}

/** Plain text on one line, bounded, escaped. */
function plain(text: string, max = NAME_LENGTH): string {
  return escapeHtml(truncateText(collapseWhitespace(text), max));
}

function link(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

/** A problem with what was asked, and what to do instead; `text` is plain. */
export function problemReply(text: string): string {
  return `⚠️ ${escapeHtml(text)}`;
}

export const SORRY = "⚠️ Something went wrong on our side. Please try again in a minute.";

/** "j…@example.com": enough to recognise one's own account, not to hand out an address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "…" : `${email[0]}…${email.slice(at)}`;
}

export function helpText(publicUrl: string): string {
  const [low, high] = MUTE_HOURS;
  return [
    "<b>Craveny</b> tests AI stock predictions honestly. Not investment advice.",
    "",
    "<b>For everyone</b>",
    "/top — today's strongest signals",
    "/models — the model leaderboard",
    "/stock SYMBOL — last close and each model's latest call",
    "/help — this message",
    "",
    `<b>Alerts</b> (link this chat on ${link(`${publicUrl}/account`, "your account page")} first)`,
    "/subscribe SYMBOL [confidence] — e.g. /subscribe AAPL 80%",
    "/unsubscribe SYMBOL — remove this chat's rules on a stock",
    "/list — your rules, each with a remove button",
    `/mute HOURS — hold alerts for ${low}–${high} hours (/mute off resumes)`,
    "/stop — no more alerts here (/start resumes)",
    "",
    "/help subscribe — every kind of rule and option",
  ].join("\n");
}

export function subscribeHelpText(): string {
  return [
    "<b>/subscribe</b> — alert rules",
    "/subscribe AAPL — a call on AAPL at 70% confidence or more",
    "/subscribe AAPL 85% — at 85% or more (0.85 works too)",
    "/subscribe AAPL consensus 3 — 3 or more models agree on AAPL",
    "/subscribe AAPL flip — a model changes its call on AAPL",
    "/subscribe momentum winrate 45% — momentum's win rate falls below 45%",
    "/subscribe * 90% — any stock, at 90% or more",
    "",
    "<b>Options</b>, in any order after the rule:",
    'by MODEL — only this model\'s calls (quote names with spaces: by "Mean Reversion")',
    "up, down or flat — only calls in that direction",
    "once, daily or every — the first time only, at most once a day, or every time (default)",
    "digest — collected into one daily message",
    "until YYYY-MM-DD — the rule ends after that day (UTC)",
    "",
    "Subscribing again to the same stock, rule, model and direction replaces the rule.",
  ].join("\n");
}

export function unknownCommandText(command: string): string {
  return `I don't know ${escapeHtml(truncateText(command, 40))}. /help lists what I can do.`;
}

/** /start without a code. */
export function welcomeText(
  publicUrl: string,
  state: { wasStopped: boolean; linkedEmail: string | null },
): string {
  const lines = state.wasStopped
    ? [
      "▶️ Alerts to this chat are on again.",
      "Your rules were switched off by /stop: add them again with /subscribe.",
      "",
    ]
    : [];
  lines.push(
    state.linkedEmail === null
      ? `This chat is not linked to an account. To get alerts, open ${
        link(`${publicUrl}/account`, "your account page")
      }, press “Link Telegram” and follow the link.`
      : `This chat is linked to ${escapeHtml(maskEmail(state.linkedEmail))}.`,
    "",
    helpText(publicUrl),
  );
  return lines.join("\n");
}

/** /start CODE: what redeeming the code did. */
export function linkResultText(result: Redemption, publicUrl: string): string {
  const account = link(`${publicUrl}/account`, "your account page");
  switch (result.status) {
    case "linked": {
      const lines = [
        `✅ This chat is now linked to ${escapeHtml(maskEmail(result.email))}.`,
        "Add alert rules with /subscribe, or on your account page.",
      ];
      if (result.tookOverFromOtherAccount) {
        lines.push(
          "It was linked to another account before: that link has ended and its rules here " +
            "are switched off.",
        );
      }
      if (result.movedFromOtherChat) {
        lines.push(
          `Your account was linked to another chat: the link moved here, with ${
            count(result.rulesMoved, "rule")
          }.`,
        );
      }
      return lines.join("\n");
    }
    case "already_linked":
      return `This chat is already linked to ${escapeHtml(maskEmail(result.email))}.`;
    case "used":
      return `⚠️ That link code was already used. Get a new one on ${account}.`;
    case "expired":
      return `⚠️ That link code has expired (codes last 15 minutes). Get a new one on ${account}.`;
    case "account_disabled":
      return "⚠️ The account of that code is disabled, so nothing was linked.";
    case "unknown":
      return `⚠️ I don't know that link code. Copy it again from ${account}, or get a new one.`;
  }
}

export function notLinkedText(publicUrl: string): string {
  return `⚠️ Alerts need a Craveny account: open ${
    link(`${publicUrl}/account`, "your account page")
  }, press “Link Telegram” and follow the link. /top, /models and /stock work without one.`;
}

export function savedRuleText(
  saved: { subscription: Subscription; replaced: boolean },
  chat: { stopped: boolean },
): string {
  const lines = [
    `${saved.replaced ? "✅ Rule updated" : "✅ Rule added"}: ${
      plain(describeRule(saved.subscription), 400)
    }`,
    "/list shows your rules.",
  ];
  if (chat.stopped) lines.push("This chat is stopped: send /start to receive alerts again.");
  return lines.join("\n");
}

/** Callback data of /list's buttons: remove rule ID (then show PAGE), or show PAGE. */
export type ListAction = { kind: "remove"; id: number; page: number } | {
  kind: "page";
  page: number;
};

export function listActionData(action: ListAction): string {
  return action.kind === "remove" ? `rm:${action.id}:${action.page}` : `ls:${action.page}`;
}

/** The action a button's data names, or null for data this bot never made. */
export function parseListAction(data: string): ListAction | null {
  const remove = /^rm:([1-9]\d{0,14}):(\d{1,3})$/.exec(data);
  if (remove) return { kind: "remove", id: Number(remove[1]), page: Number(remove[2]) };
  const page = /^ls:(\d{1,3})$/.exec(data);
  return page ? { kind: "page", page: Number(page[1]) } : null;
}

/** One page of /list: numbered rules, a remove button each, and page buttons when needed. */
export function rulesPage(rules: Subscription[], requestedPage: number): Reply {
  if (rules.length === 0) {
    return {
      text: "This chat has no alert rules. /subscribe adds one; /help subscribe shows how.",
    };
  }
  const pages = Math.ceil(rules.length / RULES_PER_PAGE);
  const page = Math.min(Math.max(requestedPage, 0), pages - 1);
  const first = page * RULES_PER_PAGE;
  const shown = rules.slice(first, first + RULES_PER_PAGE);
  const header = `<b>Your alert rules</b> (${rules.length})${
    pages > 1 ? ` · page ${page + 1} of ${pages}` : ""
  }`;
  const lines = shown.map((rule, i) => `${first + i + 1}. ${plain(describeRule(rule), 300)}`);
  const buttons = shown.map((rule, i) => [{
    text: `✖ Remove ${first + i + 1}${rule.symbol ? ` (${rule.symbol})` : ""}`,
    callback_data: listActionData({ kind: "remove", id: rule.id, page }),
  }]);
  const paging = [
    ...(page > 0
      ? [{ text: "◀ Previous", callback_data: listActionData({ kind: "page", page: page - 1 }) }]
      : []),
    ...(page < pages - 1
      ? [{ text: "Next ▶", callback_data: listActionData({ kind: "page", page: page + 1 }) }]
      : []),
  ];
  return {
    text: [header, ...lines].join("\n"),
    keyboard: { inline_keyboard: paging.length ? [...buttons, paging] : buttons },
  };
}

function callLine(p: ListedPrediction, publicUrl: string, withSymbol: boolean): string {
  const marks = [
    ...(p.mode === "replay" ? ["replay"] : []),
    ...(p.contaminated ? ["contaminated"] : []),
  ];
  return [
    ...(withSymbol ? [link(stockUrl(publicUrl, p.symbol), p.symbol)] : []),
    `<b>${directionLabel(p.direction)}</b>`,
    `${percent(p.confidence)}`,
    count(p.horizon, "trading day"),
    plain(p.model.name),
    p.asOf.toISOString().slice(0, 10),
    ...(marks.length ? [`<i>${marks.join(", ")}</i>`] : []),
  ].join(" · ");
}

/**
 * /top: the dashboard's strongest signals (trusted models only); when no model has earned trust
 * yet, the most confident live calls of every active model, labelled as unvetted.
 */
export function topText(
  top: { signals: ListedPrediction[]; trusted: boolean },
  publicUrl: string,
): string {
  if (top.signals.length === 0) {
    return top.trusted
      ? "The trusted models made no up or down call on the latest predicted day."
      : "No live up or down calls yet. " + link(`${publicUrl}/predictions`, "All predictions");
  }
  const heading = top.trusted
    ? "<b>Today's strongest signals</b>, from models that have earned trust:"
    : "<b>Strongest live calls</b> — no model has earned trust yet, so treat these as unvetted:";
  return [
    heading,
    ...top.signals.map((p) => callLine(p, publicUrl, true)),
    "",
    link(`${publicUrl}/`, "The dashboard") + " explains how a model earns trust.",
  ].join("\n");
}

/** /models: the leaderboard summary — model, win rate with its interval, n. */
export function modelsText(board: LeaderboardSummary, publicUrl: string): string {
  const full = link(`${publicUrl}/models`, "The full leaderboard");
  if (board.standings.length === 0) {
    return `No model has scored predictions yet: a prediction is scored once its horizon has passed. ${full}`;
  }
  return [
    `<b>Model leaderboard</b> — ${
      board.mode === "live" ? "live" : "replayed"
    } clean predictions, all time, by win rate:`,
    ...board.standings.map(({ rank, model, metrics, trusted }) => {
      const rate = metrics.winRate;
      const label = winRateLabel(
        rate === null ? null : { rate: rate.value, low: rate.low, high: rate.high, n: metrics.n },
      );
      return `${rank}. <b>${plain(model.name)}</b>: ${label}${trusted ? " · ✓ trusted" : ""}`;
    }),
    "",
    `${full}, with every metric.`,
  ].join("\n");
}

/** /stock: the last close (and its change) and each model's latest call. */
export function stockText(
  stock: Stock,
  bars: PriceBar[],
  predictions: ListedPrediction[],
  publicUrl: string,
): string {
  const [previous, last] = bars.length >= 2 ? bars.slice(-2) : [null, bars.at(-1) ?? null];
  const price = last === null
    ? "No prices yet."
    : `Last close ${last.date}: <b>${last.close.toFixed(2)}</b> ${plain(stock.currency, 8)}${
      previous ? ` (${signedPercent(last.close / previous.close - 1, 2)} on the day)` : ""
    }`;
  const calls = predictions.length === 0 ? ["No model has predicted it yet."] : [
    "<b>Latest call of each model</b>",
    ...predictions.map((p) => callLine(p, publicUrl, false)),
  ];
  const lines = [
    `<b>${plain(stock.symbol, 24)}</b> · ${plain(stock.name)}${
      stock.active ? "" : " (no longer followed)"
    }`,
    price,
    "",
    ...calls,
    "",
    link(stockUrl(publicUrl, stock.symbol), `${stock.symbol} on Craveny`),
  ];
  // Up to 20 models' calls fit easily; the cut only guards against a huge registry.
  return truncateHtmlLine(lines.join("\n"), TELEGRAM_MESSAGE_LIMIT);
}

export function unknownStockText(symbol: string, publicUrl: string): string {
  return `⚠️ I don't follow ${escapeHtml(symbol)}. ${
    link(`${publicUrl}/stocks`, "The stocks Craveny follows")
  }.`;
}
