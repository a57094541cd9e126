// Signing in. The form carries the visitor's CSRF token, so no other site can sign a victim into
// an account of its choosing (login CSRF). Success sets the session cookies and goes on to `next`
// — a path on this site — or the dashboard; a failure shows the form again with the email kept.
// The page is never cached: it holds a per-visitor token.
import { CsrfField } from "../components/CsrfField.tsx";
import { CsrfFailed, verifyCsrf } from "../lib/auth/csrf.ts";
import { EMAIL_MAX_LENGTH } from "../lib/auth/email.ts";
import { seeOther, sessionCookies } from "../lib/auth/cookies.ts";
import { InvalidCredentials, signIn } from "../lib/auth/login.ts";
import { safeNextPath } from "../lib/auth/next_path.ts";
import { define } from "../lib/fresh/define.ts";
import type { FreshContext } from "../lib/fresh/types.ts";
import { TooManyRequests } from "../lib/http/errors.ts";
import { readForm } from "../lib/http/form_body.ts";
import type { State } from "../lib/state.ts";

interface LoginData {
  email: string;
  next: string;
  error: string | null;
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function showForm(
  ctx: FreshContext<State, LoginData>,
  data: LoginData,
  status: number,
  headers: Record<string, string> = {},
) {
  return ctx.render(data, { status, headers: { "cache-control": "no-store", ...headers } });
}

export const handler = define.handlers<LoginData>({
  GET(_req, ctx) {
    const next = safeNextPath(ctx.url.searchParams.get("next")) ?? "/";
    return showForm(ctx, { email: "", next, error: null }, 200);
  },

  async POST(req, ctx) {
    const { app } = ctx.state;
    const form = await readForm(req, app.config.bodyLimitBytes);
    const data = {
      email: field(form, "email").slice(0, EMAIL_MAX_LENGTH),
      next: safeNextPath(field(form, "next")) ?? "/",
    };
    try {
      verifyCsrf(req, form, ctx.state);
      const issued = await signIn(
        app,
        { email: data.email, password: field(form, "password") },
        { ip: ctx.state.clientIp, userAgent: req.headers.get("User-Agent") },
      );
      return seeOther(data.next, sessionCookies(app.config, req, issued));
    } catch (error) {
      if (error instanceof CsrfFailed) {
        const error = "The sign-in form had expired: please try again.";
        return showForm(ctx, { ...data, error }, 403);
      }
      if (error instanceof InvalidCredentials) {
        return showForm(ctx, { ...data, error: error.message }, 401);
      }
      if (error instanceof TooManyRequests) {
        return showForm(ctx, { ...data, error: error.message }, 429, error.headers);
      }
      throw error;
    }
  },
});

export default define.page<LoginData>(({ data, state }) => (
  <section class="login">
    <h1>Sign in</h1>
    {state.user && (
      <p class="muted">
        You are signed in as {state.user.email}. Signing in again switches accounts.
      </p>
    )}
    {data.error && <p class="form-error" role="alert">{data.error}</p>}
    <form method="post" action="/login" class="login-form">
      <CsrfField token={state.csrfToken} />
      <input type="hidden" name="next" value={data.next} />
      <label>
        Email
        <input
          type="email"
          name="email"
          value={data.email}
          autocomplete="username"
          maxLength={EMAIL_MAX_LENGTH}
          required
        />
      </label>
      <label>
        Password
        <input type="password" name="password" autocomplete="current-password" required />
      </label>
      <button type="submit">Sign in</button>
    </form>
  </section>
));
