// Alert messages in Telegram's HTML parse mode, pure. Every value from the payload is cut to a
// bounded length as plain text first and escaped afterwards, so a cut never lands inside an
// entity and every entry stays far below Telegram's 4096-character limit; messages are then
// packed from whole entries, so a text never splits inside an alert, a tag or an entity.
import { collapseWhitespace, truncateText } from "../news/html_text.ts";
import { count, percent } from "../predict/format.ts";
import type { Direction } from "../predict/types.ts";
import type { AlertPayload, AlertPrediction, WinRateSummary } from "./types.ts";
import { stockPath } from "../stocks/paths.ts";

/** Telegram's cap on a message's text. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** Plain-text lengths of the parts an entry shows (before escaping). */
const MAX = { name: 80, symbol: 24, reasoning: 200, error: 400, list: 300 } as const;

/** Escapes the characters Telegram's HTML mode reserves (and `"` for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** One line of plain text, at most `max` characters, escaped. */
function line(text: string, max: number): string {
  return escapeHtml(truncateText(collapseWhitespace(text), max));
}

/** Direction as an arrow and a word, never by colour alone. */
export function directionLabel(direction: Direction): string {
  return { up: "▲ up", down: "▼ down", flat: "▶ flat" }[direction];
}

/** "win rate 56% (95% CI 51%–61%, n = 312)", or "no track record yet". */
export function winRateLabel(winRate: WinRateSummary | null): string {
  if (winRate === null || winRate.n === 0) return "no track record yet";
  return `win rate ${percent(winRate.rate)} (95% CI ${percent(winRate.low)}–${
    percent(winRate.high)
  }, n = ${winRate.n})`;
}

function horizonLabel(horizon: number): string {
  return `${count(horizon, "trading day")} ahead`;
}

export function stockUrl(publicUrl: string, symbol: string): string {
  return `${publicUrl}${stockPath(symbol)}`;
}

function link(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}">${text}</a>`;
}

/** The lines every prediction alert shares: stock, call, model, reasoning, link. */
function predictionLines(p: AlertPrediction, publicUrl: string): string[] {
  const symbol = line(p.symbol, MAX.symbol);
  return [
    `<b>${symbol}</b> · ${line(p.stockName, MAX.name)}`,
    `<b>${directionLabel(p.direction)}</b> · ${percent(p.confidence)} confidence · ${
      horizonLabel(p.horizon)
    }`,
    `Model <b>${line(p.modelName, MAX.name)}</b>: ${winRateLabel(p.winRate)}`,
    ...(p.reasoning.trim() ? [`<i>${line(p.reasoning, MAX.reasoning)}</i>`] : []),
    link(stockUrl(publicUrl, p.symbol), `${symbol} on Craveny`),
  ];
}

/** One alert as an entry: a headline and its lines, joined by newlines. */
export function formatAlert(payload: AlertPayload, publicUrl: string): string {
  switch (payload.kind) {
    case "prediction": {
      const p = payload.prediction;
      let headline: string;
      if (payload.rule === "strong") headline = "🔔 Strong signal";
      else if (payload.rule === "consensus") {
        headline = `🤝 Consensus: ${payload.agreeing.length} of ${payload.of} models say ${
          directionLabel(p.direction)
        } (${line(payload.agreeing.join(", "), MAX.list)})`;
      } else {
        headline = `🔄 Flip: ${directionLabel(payload.previousDirection)} → ${
          directionLabel(p.direction)
        } (previous call ${payload.previousAsOf.slice(0, 10)})`;
      }
      return [`<b>${headline}</b>`, ...predictionLines(p, publicUrl)].join("\n");
    }
    case "win_rate": {
      const model = line(payload.modelName, MAX.name);
      return [
        `<b>⚠️ Win rate below ${percent(payload.threshold)}</b>`,
        `Model <b>${model}</b>: ${winRateLabel(payload.winRate)}`,
        payload.symbol === null
          ? link(`${publicUrl}/models/${payload.modelId}`, `${model} on Craveny`)
          : link(
            stockUrl(publicUrl, payload.symbol),
            `${line(payload.symbol, MAX.symbol)} on Craveny`,
          ),
      ].join("\n");
    }
    case "job_failure":
      return [
        `<b>🛑 Job failed: ${line(payload.job, MAX.symbol)}</b>${
          payload.runId === null ? "" : ` (run ${payload.runId})`
        }`,
        `${line(payload.at, MAX.symbol)}`,
        `<code>${line(payload.error, MAX.error)}</code>`,
      ].join("\n");
    default:
      throw new TypeError(
        `unknown alert kind ${JSON.stringify((payload as { kind: unknown }).kind)}`,
      );
  }
}

/** What one outbox message stands for: alerts of one collapse key, oldest first. */
export interface MessageInput {
  collapseKey: string;
  payloads: AlertPayload[];
}

/** Digest rows share a key "digest:CHAT:DAY" (lib/alerts/rules.ts). */
export function isDigestKey(collapseKey: string): boolean {
  return collapseKey.startsWith("digest:");
}

/** One text to send, carrying the next `alerts` alerts of its input (in order). */
export interface FormattedMessage {
  text: string;
  alerts: number;
}

/** Room kept for a headline over packed entries. */
const HEADLINE_ROOM = 100;

/**
 * The texts (usually one) that deliver `input`: a single alert as is, several alerts of one stock
 * and model under an "N alerts" headline, a daily digest under its own headline. Texts break only
 * between whole alerts, and each is at most `limit` characters of HTML source (so at most that
 * many after Telegram parses it).
 */
export function formatMessages(
  input: MessageInput,
  publicUrl: string,
  limit = TELEGRAM_MESSAGE_LIMIT,
): FormattedMessage[] {
  if (input.payloads.length === 0) throw new RangeError("a message needs at least one alert");
  const digest = isDigestKey(input.collapseKey);
  const entries = input.payloads.map((payload) =>
    fitEntry(formatAlert(payload, publicUrl), limit - HEADLINE_ROOM)
  );
  if (entries.length === 1 && !digest) return [{ text: entries[0], alerts: 1 }];
  const parts = packEntries(entries, limit - HEADLINE_ROOM);
  return parts.map((part, index) => {
    const numbered = parts.length > 1 ? ` (${index + 1}/${parts.length})` : "";
    const headline = digest
      ? `<b>📰 Daily digest${numbered}: ${count(part.entries, "alert")}</b>`
      : `<b>${count(part.entries, "alert")} within the cooldown${numbered}</b>`;
    return { text: `${headline}\n\n${part.text}`, alerts: part.entries };
  });
}

/**
 * Packs whole entries (a blank line between them) into texts of at most `limit` characters.
 * Every entry must fit alone (fitEntry).
 */
export function packEntries(entries: string[], limit: number): { text: string; entries: number }[] {
  const parts: { text: string; entries: number }[] = [];
  for (const entry of entries) {
    if (entry.length > limit) throw new RangeError("an entry is longer than the limit");
    const last = parts.at(-1);
    if (last && last.text.length + 2 + entry.length <= limit) {
      last.text += `\n\n${entry}`;
      last.entries++;
    } else parts.push({ text: entry, entries: 1 });
  }
  return parts;
}

/**
 * An entry cut to `limit` characters if need be (its fields are bounded, so only hostile input
 * comes near): its longest line is cut, tags closed, until it fits.
 */
export function fitEntry(entry: string, limit: number): string {
  const lines = entry.split("\n");
  let length = entry.length;
  while (length > limit) {
    const longest = lines.reduce((best, l, i) => (l.length > lines[best].length ? i : best), 0);
    const before = lines[longest].length;
    lines[longest] = truncateHtmlLine(lines[longest], Math.max(16, before - (length - limit)));
    length += lines[longest].length - before;
    if (lines[longest].length === before) break;
  }
  return lines.join("\n");
}

const TOKEN = /<\/?([a-zA-Z][\w-]*)[^>]*>|&(?:#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|[\s\S]/g;

/**
 * Cuts a line of (well-formed) Telegram HTML to at most `limit` characters: whole tags and
 * entities only, an ellipsis at the cut and the tags still open closed again.
 */
export function truncateHtmlLine(html: string, limit: number): string {
  if (html.length <= limit) return html;
  const open: string[] = [];
  const closing = () => open.map((name) => `</${name}>`).reverse().join("");
  let kept = "";
  for (const match of html.matchAll(TOKEN)) {
    const [token, tag] = match;
    const isClose = token.startsWith("</");
    const stack = tag === undefined ? open : isClose ? open.slice(0, -1) : [...open, tag];
    const tail = stack.map((name) => `</${name}>`).reverse().join("");
    if (kept.length + token.length + 1 + tail.length > limit) break;
    kept += token;
    if (tag !== undefined) {
      if (isClose) open.pop();
      else open.push(tag);
    }
  }
  // Never leave half of a surrogate pair before the ellipsis.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…${closing()}`;
}
