// The admin console is for admins: visitors are sent to sign in (and brought back), investors get
// the 403 page (lib/fresh/error_policy.ts turns the thrown errors into both).
import { assertAdmin } from "../../lib/auth/guards.ts";
import { define } from "../../lib/fresh/define.ts";

export const handler = define.middleware((_req, ctx) => {
  assertAdmin(ctx.state);
  return ctx.next();
});
