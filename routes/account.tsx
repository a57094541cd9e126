// The signed-in user's account: the Telegram link (a one-time code, shown once, never stored in
// clear) and the alert rules of the linked chat — list, remove, add. Anonymous visitors are sent
// to /login. Every view is personal: never cached.
import { AlertRuleForm } from "../components/account/AlertRuleForm.tsx";
import { AlertRuleTable } from "../components/account/AlertRuleTable.tsx";
import { ruleFromForm } from "../lib/alerts/rule_form.ts";
import {
  type BotInfo,
  type LinkedChat,
  TelegramLinkPanel,
} from "../components/account/TelegramLinkPanel.tsx";
import { Banner, FlashBanner } from "../components/admin/FlashBanner.tsx";
import { RuleInvalid } from "../lib/alerts/subscription_input.ts";
import {
  getChat,
  listRules,
  removeRule,
  saveRule,
  type Subscription,
} from "../lib/alerts/subscriptions.ts";
import { assertSignedIn, type SignedInState } from "../lib/auth/guards.ts";
import { define } from "../lib/fresh/define.ts";
import type { FreshContext } from "../lib/fresh/types.ts";
import { formActions, formId, formValues, redirectWithFlash } from "../lib/http/form_actions.ts";
import { type FormState, NO_PROBLEMS, problemsByField } from "../lib/http/form_problems.ts";
import { listModels } from "../lib/models/store.ts";
import { listStocks } from "../lib/stocks/store.ts";
import {
  createLinkCode,
  type LinkCode,
  linkedChat,
  unlinkChat,
} from "../lib/telegram/link_codes.ts";
import type { State } from "../lib/state.ts";

const PATH = "/account";

const FLASHES = {
  "rule-added": "Rule added.",
  "rule-updated":
    "Rule updated: it replaced the one with the same stock, kind, model and direction.",
  "rule-removed": "Rule removed.",
  "rule-gone": "That rule was already removed.",
  unlinked: "Telegram unlinked: this account's alerts there are switched off.",
};

interface AccountData {
  bot: BotInfo;
  linked: LinkedChat | null;
  /** Shown once, right after it was made. */
  code: LinkCode | null;
  rules: Subscription[];
  symbols: string[];
  models: string[];
  form: FormState;
  refusal: string | null;
}

const EMPTY_FORM: FormState = { values: {}, problems: NO_PROBLEMS };

async function render(
  ctx: FreshContext<State, AccountData>,
  extra: Partial<Pick<AccountData, "code" | "form" | "refusal">> = {},
  status = 200,
): Promise<Response> {
  assertSignedIn(ctx.state);
  const { app, user } = ctx.state;
  const { sql } = app.db;
  const link = await linkedChat(sql, user.id);
  const [chat, rules, stocks, models] = await Promise.all([
    link ? getChat(sql, link.chatId) : null,
    listRules(sql, { userId: user.id }),
    listStocks(sql, { activeOnly: true }),
    listModels(sql, { activeOnly: true }),
  ]);
  const data: AccountData = {
    bot: { state: app.telegram?.state ?? "off", username: app.telegram?.username ?? null },
    linked: link ? { linkedAt: link.linkedAt, chat } : null,
    code: null,
    rules,
    symbols: stocks.map((stock) => stock.symbol),
    models: models.map((model) => model.name),
    form: EMPTY_FORM,
    refusal: null,
    ...extra,
  };
  return ctx.render(data, { status, headers: { "cache-control": "no-store" } });
}

/** The signed-in user, for an action (the guard narrows the state). */
function signedIn(state: State): SignedInState {
  assertSignedIn(state);
  return state;
}

export const handler = define.handlers<AccountData>({
  GET: (_req, ctx) => render(ctx),
  POST: formActions<AccountData>({
    "link-code": async (_form, ctx) => {
      const { app, user } = signedIn(ctx.state);
      return await render(ctx, { code: await createLinkCode(app.db.sql, user.id) });
    },
    unlink: async (_form, ctx) => {
      const { app, user } = signedIn(ctx.state);
      await unlinkChat(app.db.sql, user.id);
      return redirectWithFlash(PATH, "unlinked");
    },
    "remove-rule": async (form, ctx) => {
      const { app, user } = signedIn(ctx.state);
      const removed = await removeRule(app.db.sql, { userId: user.id }, formId(form, "id"));
      return redirectWithFlash(PATH, removed ? "rule-removed" : "rule-gone");
    },
    "add-rule": async (form, ctx) => {
      const { app, user } = signedIn(ctx.state);
      const link = await linkedChat(app.db.sql, user.id);
      if (!link) {
        return await render(ctx, { refusal: "Link a Telegram chat first: alerts go there." }, 409);
      }
      try {
        const saved = await saveRule(
          app.db.sql,
          { chatId: link.chatId, userId: user.id },
          ruleFromForm(form),
        );
        return redirectWithFlash(PATH, saved.replaced ? "rule-updated" : "rule-added");
      } catch (error) {
        if (!(error instanceof RuleInvalid)) throw error;
        const problems = problemsByField([error.message]);
        return await render(ctx, { form: { values: formValues(form), problems } }, 400);
      }
    },
  }),
});

export default define.page<AccountData>(({ data, url, state }) => {
  assertSignedIn(state);
  return (
    <>
      <div class="page-heading">
        <h1>Your account</h1>
      </div>
      <p class="muted">Signed in as {state.user.email}.</p>
      <FlashBanner url={url} messages={FLASHES} />
      {data.refusal && <Banner tone="error" message={data.refusal} />}
      <TelegramLinkPanel
        bot={data.bot}
        linked={data.linked}
        code={data.code}
        csrf={state.csrfToken}
      />
      {data.linked && (
        <section class="panel panel-wide" aria-labelledby="rules-title">
          <h2 id="rules-title">Alert rules</h2>
          <AlertRuleTable rules={data.rules} csrf={state.csrfToken} />
          <h3>Add a rule</h3>
          <AlertRuleForm
            form={data.form}
            symbols={data.symbols}
            models={data.models}
            csrf={state.csrfToken}
          />
        </section>
      )}
    </>
  );
});
