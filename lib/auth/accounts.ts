// Managing accounts (deno task user, the admin console): creating one with a checked email and
// password, disabling one — which also ends its sessions.
import type { Sql } from "postgres";
import { isUniqueViolation } from "../db/errors.ts";
import { BadRequest, Conflict } from "../http/errors.ts";
import { normalizeEmail } from "./email.ts";
import { hashPassword } from "./password.ts";
import { passwordProblem } from "./password_policy.ts";
import { revokeUserSessions } from "./session_store.ts";
import type { Role } from "./user.ts";
import { insertUser, setUserDisabled, type UserAccount } from "./user_store.ts";

export const DISPLAY_NAME_MAX_LENGTH = 100;

export interface NewAccount {
  email: string;
  password: string;
  role: Role;
  displayName?: string | null;
}

/** Creates an account; 400 for a bad email, password or name, 409 when the email is taken. */
export async function createAccount(sql: Sql, account: NewAccount): Promise<UserAccount> {
  const email = normalizeEmail(account.email);
  if (!email) throw new BadRequest(`not an email address: ${JSON.stringify(account.email)}`);
  const problem = passwordProblem(account.password, email);
  if (problem) throw new BadRequest(problem);
  const displayName = account.displayName?.trim() || null;
  if (displayName && displayName.length > DISPLAY_NAME_MAX_LENGTH) {
    throw new BadRequest(`the display name may have at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
  }
  const passwordHash = await hashPassword(account.password);
  try {
    return await insertUser(sql, { email, passwordHash, role: account.role, displayName });
  } catch (error) {
    if (isUniqueViolation(error, "app_user_email_key")) {
      throw new Conflict(`an account for ${email} exists`);
    }
    throw error;
  }
}

/**
 * Disables or enables an account. Disabling also revokes its sessions; its access tokens already
 * stop working at their next request (authenticate.ts checks the account).
 */
export function setAccountDisabled(
  sql: Sql,
  id: number,
  disabled: boolean,
): Promise<UserAccount | null> {
  return sql.begin(async (tx) => {
    const account = await setUserDisabled(tx, id, disabled);
    if (account && disabled) await revokeUserSessions(tx, id, "admin");
    return account;
  });
}
