// Word lists behind news ↔ stock matching (lib/news/match.ts). Curated, small and explainable:
// a wrong match is fixed by adding a word here, with a test case next to it.

function words(text: string): Set<string> {
  return new Set(text.trim().split(/\s+/));
}

/**
 * Common English words (lower case). A symbol spelling one of them ("ALL", "NOW", "ON", "IT",
 * "META", "CAT") is not trusted bare, and a one-word company name that is one ("Apple", "Meta",
 * "Target", "Visa", "Amazon", "Alphabet", "Intel", "Oracle", "Block", "Snap") needs capitals and
 * corporate context. Short words are listed generously because tickers are short.
 */
export const COMMON_WORDS = words(`
  a able about above act add after again age ago air all also am an and any app apps are arm art
  as ask at away baby back bad bag ball band bank bar base be bear beat bed bee best bet big bill
  bit bite black block blue boat body bold bone book boom boot born boss both box boy brand bread
  bridge bright bring bud build bull bus busy but buy by cake call calm came camp can cap car card
  care cars case cash cast cat cell chain chair change cheap chip city clean clear climb clock
  close cloud club coal coat code cold come cook cool core corn cost could count crew crop cross
  cup cut cute dark data date day deal dear deep deer dig dine dish do does dog dollar door dot
  down draw dream drive drop dry due duke dust duty each ear early earn earth ease east easy eat
  edge egg else end epic even ever every eye face fact fair fall fame fan far farm fast fat fear
  feed feel few field fig file fill film find fine fire firm first fish fit five fix flag flat
  fly fold folk food foot for ford form fort four free fresh from frog front fruit fuel full fun
  fund gain game gap gas gate gear get gift girl give glad glass go goal gold golf gone good got
  grab gray great green grid grow gun had hair half hall hand hang hard has hat have he head hear
  heat help her here hero hers high hill him his hit hog hold home hook hope horn hot hour house
  how hub huge hunt i ice idea if in inc ink into iron is it item its jack jam jar job join joy
  jump just keen keep key kid kind king kit kite lab lady lake lamp land lane last late law lead
  leaf lean left leg lens less let life lift light like line link lion list live load loan lock
  log long look loop lord lose loss lot loud love low luck mac made mail main make male mall man
  many map mark mart mass mat match may me meal mean meat meet meta mid mile milk mill mind mine
  mint miss mix mode mom moon more most move much must my name near neat need net new news next
  nice nine no nor nose not note now nut oak odd of off oil ok old on once one only open or out
  oven over own pace pack page paid pain pair pal palm pan park part pass past path pay peak pen
  pet pick pie pig pin pink pipe plan play plot plug plus pod poet pole pool poor pop port post
  pot pour pray pro pull pump pure push put race rain ran rare rate raw ray read real red rent
  rest rich ride ring rise risk road rock role roll roof room root rope rose row rule run rush
  safe said sail sale salt same sand save saw say sea seal seat see seed seek seem self sell send
  set shed ship shoe shop shot show shut sick side sign silk sing sit site six size ski skin sky
  slim slow small snap snow so soap sock soft soil sold solo son song soon sort soul soup spot
  spin star stay stem step stop such suit sun sure swim tab tail take tale talk tall tank tap
  tape task team tear tech tell ten term test text than that the them then they thin this tie
  till time tiny tip to toe told tom ton too tool top tour town toy track trade tree trip true
  try tube tune turn twin two type under unit up upon us use van vast very view vine visa vote
  wage wait wake walk wall want war warm was wash watch wave way we wear web week well went were
  west what when who why wide wife wild will win wind wine wing wire wise wish with wolf wood
  wool word work worm yard year yes yet you young your zero zone zoom
  alphabet amazon apple chevron oracle target intel shell square unity discover progressive
  southern dominion mosaic general united american delta carrier compass frontier pioneer crown
  eagle genesis harmony mercury orbit phoenix sprint summit titan vertex victory vista coherent
`);

/** Upper-case abbreviations that are not tickers in running text ("HD video", "AI stocks"). */
export const ACRONYMS = words(`
  AI AM AR API ATH ATM B2B BOJ CA CEO CFO CIA COO CPI CTO DC DOJ DOW EBIT EBITDA ECB EPS ESG ET
  ETF ETFS EU EV EVS FAANG FBI FDA FED FOMC FTC FX FY GDP GMT GOP HD HQ HR ID IMF IPO IPOS IRA IRS
  IT LA LLC MBA NASA NATO NBA NFL NY NYC NYSE OK OPEC OTC PC PE PM PMI PPI PR Q1 Q2 Q3 Q4 QOQ R&D
  SEC SPAC SUV TV UAE UK UN US USA USD UTC VC VR WHO WSJ YOY YTD
`);

/**
 * Financial and corporate context (lower case). A bare ticker counts only in financial text, and
 * a company name that is a common word ("Apple") counts only next to business words.
 */
export const CONTEXT_WORDS = words(`
  13f accounting acquire ai analysis bear bull bln division fundamental fundamentals jobs
  logistics million millions recalls report reports unit workers acquired acquires acquisition acquisitions ad ads advertising analyst
  analysts announce announced announces antitrust app apps appeal appeals bankruptcy bearish
  beat beats bid bids bid billion board bond bonds brand brands bullish business buy buyback
  buybacks buying buys calls cap capex ceo cfo chairman chief chip chipmaker chips climbs company
  company's companies competition competitor competitors consumer consumers contract corp
  corporate corporation court customers deal deals decline declines demand device devices
  dividend dividends dow downgrade downgraded downgrades drops earnings employees enterprise
  etf etfs exec executive executives exports factory falls fee fees filing fine fined firm firms
  fiscal forecast founder fund funds gains giant giants government govt growth guidance
  headquarters hiring holding holdings imports inc investing investment investor investors
  ipad iphone iphones ipo jumps ban bans banned judge launch launched launches lawsuit layoffs lobbying ltd
  maker makers manufacturing market markets merger mln nasdaq nikkei nyse offer option options
  outlook partner partnership patent patents plunges portfolio premarket price priced prices
  probe product production products profit profits puts quarter quarterly rally rallies rating
  ratings recall regulator regulators regulatory results retail revenue revenues rival rivals
  sale sales sell selling selloff services settle settlement shareholder shareholders shares
  shipments slides slips slump smartphone smartphones software soars startup stock stocks store
  streaming subscribers subscription supplier suppliers supply surges tariff tariffs tech
  technology trade trader traders trading trillion tumbles unveil unveiled unveils upgrade
  upgraded upgrades users valuable valuation valued worth
`);

/** Multi-word context phrases, matched case-insensitively as whole words. */
export const CONTEXT_PHRASES = [
  "wall street",
  "wall st",
  "s&p 500",
  "s&p",
  "big tech",
  "market cap",
  "price target",
  "magnificent seven",
  "magnificent 7",
  "app store",
  "press release",
];

/**
 * Words that turn a common-word company name into the common word. Anywhere in the text they
 * veto a name-only match ("Apple pie recipes", "the Amazon rainforest").
 */
export const VETO_WORDS = words(`
  recipe recipes baking bake baked dessert desserts cider orchard orchards fruit fruits harvest
  vinegar pie pies cinnamon caramel rainforest deforestation jungle tribe tribes river
`);

/** The word right after a common-word name that makes it a common noun ("Meta description"). */
export const NEGATIVE_FOLLOWERS = words(`
  analysis analyses audience audiences basin cake cider crumble data description descriptions
  hospitality
  juice jungle orchard pie pies practice rainforest requirement requirements review reviews river
  sauce seed seeds study studies tag tags tart tree trees application applications sponsorship
  waiver waivers of soup letter letters game
`);

/** The word right before a common-word name that makes it something else ("the Big Apple"). */
export const NEGATIVE_PRECEDERS = words(`
  big candy caramel toffee crab green red rotten adam's baked
`);
