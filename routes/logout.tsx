// Signing out: POST only (a link or an image must not sign anyone out) with the CSRF token. Ends
// the session — its refresh tokens at once, its access tokens at their next use — clears the
// cookies and goes to the dashboard.
import { accessCredential, authenticate } from "../lib/auth/authenticate.ts";
import { clearedSessionCookies, seeOther } from "../lib/auth/cookies.ts";
import { verifyCsrf } from "../lib/auth/csrf.ts";
import { endSession } from "../lib/auth/sessions.ts";
import { define } from "../lib/fresh/define.ts";
import { readForm } from "../lib/http/form_body.ts";

export const handler = define.handlers({
  async POST(req, ctx) {
    const { app } = ctx.state;
    verifyCsrf(req, await readForm(req, app.config.bodyLimitBytes), ctx.state);
    // An expired access token still names its session: signing out after a long pause works.
    const auth = await authenticate(app, accessCredential(req, { bearer: false }));
    if (auth.status !== "anonymous") {
      await endSession(app, auth.session);
      app.log.info("signed out", { session: auth.session, requestId: ctx.state.requestId });
    }
    return seeOther("/", clearedSessionCookies(app.config, req));
  },
});
