// Signing in with email and password. Every failure — unknown email, wrong password, disabled
// account — answers the same 401 after the same work (an unknown email is checked against a dummy
// hash), so neither the message nor the timing tells whether an account exists.
import type { AppContext } from "../context.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { BEARER_CHALLENGE, Unauthorized } from "../http/errors.ts";
import { normalizeEmail } from "./email.ts";
import { takeLoginAttempt } from "./login_rate.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { type ClientInfo, type IssuedSession, type SessionApp, startSession } from "./sessions.ts";
import { findLoginAccount, recordLogin } from "./user_store.ts";

export interface Credentials {
  email: string;
  password: string;
}

export class InvalidCredentials extends Unauthorized {
  constructor() {
    super("The email or password is not right", BEARER_CHALLENGE, "invalid_credentials");
  }
}

let dummyHash: Promise<string> | undefined;

/** A hash of nothing anyone knows, verified in place of a missing account's hash. */
function hashForMissingAccount(): Promise<string> {
  return dummyHash ??= hashPassword(crypto.randomUUID());
}

export async function signIn(
  app: SessionApp & Pick<AppContext, "cache">,
  credentials: Credentials,
  client: ClientInfo,
): Promise<IssuedSession> {
  // A malformed email still costs a rate-limit token and a hash check, like any other failure.
  const email = normalizeEmail(credentials.email) ?? credentials.email.trim().toLowerCase();
  await takeLoginAttempt(app.cache, app.log, { email, ip: client.ip });
  const account = await findLoginAccount(app.db.sql, email);
  const check = await verifyPassword(
    credentials.password,
    account?.passwordHash ?? await hashForMissingAccount(),
  );
  if (!account || !check.ok || account.disabled) {
    const reason = !account ? "unknown_email" : !check.ok ? "wrong_password" : "disabled";
    app.log.info("sign-in failed", {
      reason,
      // Never the email itself: people type passwords into the email field.
      account: (await sha256Hex(email)).slice(0, 16),
      ip: client.ip,
    });
    throw new InvalidCredentials();
  }
  // Parameters raised since this hash was made: store one with today's parameters.
  const rehashed = check.needsRehash ? await hashPassword(credentials.password) : undefined;
  await recordLogin(app.db.sql, account.user.id, rehashed);
  const issued = await startSession(app, account.user, client);
  app.log.info("signed in", { userId: account.user.id, session: issued.session, ip: client.ip });
  return issued;
}
