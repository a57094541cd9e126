// Wording of the simulator's headlines. The tone is decided elsewhere (simulator.ts); this module
// only turns (stock, tone, day, random stream) into a title and a summary whose words carry that
// tone unambiguously — so reading the text recovers the tone, and the tone's link to future
// returns is the only signal. Analyst firms are fictional; the summary is dated so that the same
// template on two days never yields the same story (news are deduplicated by content hash).

import type { Random } from "./random.ts";
import { pick } from "./random.ts";

export type Tone = "positive" | "negative" | "neutral";

/** Which family of templates fits: a company, an index fund, or a crypto asset. */
export type Voice = "company" | "index" | "crypto";

export interface HeadlineText {
  title: string;
  summary: string;
}

type Templates = Record<Tone, readonly string[]>;

const TITLES: Record<Voice, Templates> = {
  company: {
    positive: [
      "{name} ({symbol}) beats {quarter} estimates on surging {driver}",
      "{name} ({symbol}) raises full-year outlook on strong {driver}",
      "{firm} upgrades {name} ({symbol}) to buy, sees {pct}% upside",
      "{name} ({symbol}) announces ${amount} billion share buyback",
      "{name} ({symbol}) wins regulatory approval for new product line",
      "{name} ({symbol}) reports record {driver} as margins widen",
    ],
    negative: [
      "{name} ({symbol}) misses {quarter} estimates on weaker {driver}",
      "{name} ({symbol}) cuts full-year guidance citing softer {driver}",
      "{firm} downgrades {name} ({symbol}) to sell, sees {pct}% downside",
      "{name} ({symbol}) faces regulatory probe over {topic}",
      "{name} ({symbol}) warns of margin pressure as costs mount",
      "{name} ({symbol}) hit by lawsuit over {topic}",
    ],
    neutral: [
      "{name} ({symbol}) to report {quarter} results on {weekday}",
      "{name} ({symbol}) names new chief financial officer",
      "{firm} reiterates hold rating on {name} ({symbol})",
      "{name} ({symbol}) schedules investor day for {month}",
      "{name} ({symbol}) completes previously announced debt offering",
      "{name} ({symbol}) to present at industry conference in {month}",
    ],
  },
  index: {
    positive: [
      "{name} ({symbol}) draws record inflows as strategists turn bullish",
      "{firm} lifts year-end target, upgrades outlook for {name} ({symbol})",
      "{name} ({symbol}) gains support as inflation cools faster than expected",
    ],
    negative: [
      "{name} ({symbol}) sees heavy outflows as strategists turn bearish",
      "{firm} cuts year-end target as recession fears weigh on {name} ({symbol})",
      "{name} ({symbol}) under pressure as inflation runs hotter than expected",
    ],
    neutral: [
      "{name} ({symbol}) rebalances ahead of quarterly index review",
      "What to watch for {name} ({symbol}) in the week ahead",
      "{name} ({symbol}) holders await Fed minutes on {weekday}",
    ],
  },
  crypto: {
    positive: [
      "{name} ({symbol}) inflows jump as institutional demand builds",
      "Major exchange adds {name} ({symbol}) support, boosting adoption hopes",
      "{name} ({symbol}) network upgrade wins broad approval",
    ],
    negative: [
      "{name} ({symbol}) hit by exchange hack, traders rattled",
      "Regulators weigh crackdown on {name} ({symbol}) trading",
      "{name} ({symbol}) outflows mount as large holders sell",
    ],
    neutral: [
      "{name} ({symbol}) developers schedule network maintenance for {month}",
      "{name} ({symbol}) trading volume steady ahead of options expiry",
      "What to watch for {name} ({symbol}) this week",
    ],
  },
};

const SUMMARIES: Templates = {
  positive: [
    "Analysts described the news as a clear positive for {name} and expect sentiment to improve.",
    "Traders said the update on {name} ran well ahead of expectations.",
    "Investors welcomed the announcement; several analysts signalled higher estimates for {name}.",
  ],
  negative: [
    "Analysts described the news as a clear negative for {name} and expect sentiment to weaken.",
    "Traders said the update on {name} fell well short of expectations.",
    "Investors were disappointed; several analysts signalled lower estimates for {name}.",
  ],
  neutral: [
    "Analysts said the news on {name} was largely expected.",
    "Traders said the update changes little for {name} for now.",
    "The announcement had been flagged in advance and holds no surprise for {name} holders.",
  ],
};

/** What a company's results depend on, by sector: plural-safe noun phrases. */
const DRIVERS: Record<string, readonly string[]> = {
  technology: ["cloud demand", "chip demand", "software subscriptions", "data-center spending"],
  communication: ["advertising revenue", "subscriber growth", "streaming demand"],
  financials: ["loan growth", "trading revenue", "fee income", "card spending"],
  energy: ["oil output", "refining margins", "natural gas demand"],
  healthcare: ["drug sales", "medical device demand", "patient volumes"],
  consumer: ["store traffic", "online sales", "holiday demand", "brand demand"],
  industrials: ["order backlog", "aircraft deliveries", "equipment demand"],
};
const GENERIC_DRIVERS = ["core demand", "customer orders", "sales growth"];

const FIRMS = [
  "Northbridge Capital",
  "Harbor Lane Securities",
  "Summit Ridge Research",
  "Keel & Marsh",
  "Alder Point Partners",
  "Greyfield Advisors",
];
const TOPICS = [
  "data privacy",
  "pricing practices",
  "accounting disclosures",
  "product safety",
  "competition concerns",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// Legal suffixes and share classes news leave out: "Apple Inc." → "Apple".
const SUFFIX =
  /(,?\s+(Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|& Co\.?|Company|Ltd\.?|Limited|plc|PLC|N\.V\.|S\.A\.|AG|SE|Trust|Group|\(Class [A-Z]\)|Class [A-Z]))+$/;

/** The name a headline uses: legal suffixes, share classes and a leading "The" removed. */
export function shortName(name: string): string {
  const short = name.trim().replace(SUFFIX, "").replace(/^The\s+/, "").trim();
  return short || name.trim();
}

/** "Tuesday, March 5, 2024" for a "YYYY-MM-DD" date. */
export function longDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const dayName = DAY_NAMES[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${dayName}, ${MONTHS[month - 1]} ${day}, ${year}`;
}

/** The quarter most recently ended before `date`, as companies report it ("Q4 2023"). */
function lastQuarter(date: string): string {
  const [year, month] = date.split("-").map(Number);
  const quarter = Math.floor((month - 1) / 3);
  return quarter === 0 ? `Q4 ${year - 1}` : `Q${quarter} ${year}`;
}

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => slots[slot] ?? `{${slot}}`);
}

/** Title and summary for a headline on `date` (draws from `random` in a fixed order). */
export function writeHeadline(
  random: Random,
  stock: { symbol: string; name: string },
  voice: Voice,
  sector: string,
  tone: Tone,
  date: string,
): HeadlineText {
  const name = shortName(stock.name);
  const month = Number(date.slice(5, 7));
  const slots: Record<string, string> = {
    name,
    symbol: stock.symbol,
    driver: pick(random, DRIVERS[sector] ?? GENERIC_DRIVERS),
    firm: pick(random, FIRMS),
    topic: pick(random, TOPICS),
    pct: String(5 + Math.floor(random.next() * 26)),
    amount: String(1 + Math.floor(random.next() * 20)),
    quarter: lastQuarter(date),
    weekday: pick(random, WEEKDAYS),
    month: MONTHS[month % 12],
  };
  const title = fill(pick(random, TITLES[voice][tone]), slots);
  const summary = `${longDate(date)} — ${fill(pick(random, SUMMARIES[tone]), slots)}`;
  return { title, summary };
}
