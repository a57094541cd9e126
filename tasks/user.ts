// `deno task user …`: accounts from a shell — the first admin above all (`user create --admin`),
// and for operators without the admin console at hand.
import { createAccount, setAccountDisabled } from "../lib/auth/accounts.ts";
import { normalizeEmail } from "../lib/auth/email.ts";
import { isRole, ROLES } from "../lib/auth/user.ts";
import {
  getUserByEmail,
  listUsers,
  setUserRole,
  type UserAccount,
} from "../lib/auth/user_store.ts";
import type { AppContext } from "../lib/context.ts";
import { type Command, one, options, runCommand, runTask, UsageError } from "./cli.ts";
import { promptHidden, readPipedPassword } from "./read_password.ts";

const usage = `usage: deno task user COMMAND

  create [--admin] [--name NAME] [--password-stdin] EMAIL
                              create an account (an investor unless --admin); the password is
                              typed twice without echo, or read from stdin with --password-stdin
  list                        every account with its role and status
  role EMAIL admin|investor   change an account's role
  disable EMAIL | enable EMAIL
                              stop an account from signing in (and end its sessions), or undo it`;

async function newPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return await readPipedPassword();
  if (!Deno.stdin.isTerminal()) {
    throw new UsageError("no terminal to type the password at: pipe it in with --password-stdin");
  }
  const password = await promptHidden("Password: ");
  if (await promptHidden("Password again: ") !== password) {
    throw new UsageError("the passwords differ");
  }
  return password;
}

/** The account named by the one EMAIL argument. */
async function account(app: AppContext, args: string[]): Promise<UserAccount> {
  const raw = one(options(args, {}).positionals, "EMAIL");
  const email = normalizeEmail(raw) ?? raw;
  const found = await getUserByEmail(app.db.sql, email);
  if (!found) throw new UsageError(`no account ${email}`);
  return found;
}

function describe(user: UserAccount): string {
  return [
    String(user.id).padStart(4),
    user.email.padEnd(32),
    user.role.padEnd(9),
    (user.disabledAt ? "disabled" : "active").padEnd(9),
    user.lastLoginAt ? `last sign-in ${user.lastLoginAt.toISOString()}` : "never signed in",
  ].join(" ");
}

const COMMANDS: Record<string, Command> = {
  async create(app, args) {
    const { values, positionals } = options(args, {
      admin: { type: "boolean" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
    });
    const email = one(positionals, "EMAIL");
    const created = await createAccount(app.db.sql, {
      email,
      password: await newPassword(values["password-stdin"]),
      role: values.admin ? "admin" : "investor",
      displayName: values.name,
    });
    return `created ${created.role} ${created.email} (id ${created.id})`;
  },
  async list(app, args) {
    options(args, {});
    const users = await listUsers(app.db.sql);
    return users.length ? users.map(describe).join("\n") : "no accounts";
  },
  async role(app, args) {
    const [email, role] = args;
    if (args.length !== 2 || !isRole(role)) {
      throw new UsageError(`expected EMAIL ${ROLES.join("|")}`);
    }
    const user = await account(app, [email]);
    await setUserRole(app.db.sql, user.id, role);
    return `${user.email} is now ${role}`;
  },
  async disable(app, args) {
    const user = await account(app, args);
    await setAccountDisabled(app.db.sql, user.id, true);
    return `${user.email} is disabled; its sessions are ended`;
  },
  async enable(app, args) {
    const user = await account(app, args);
    await setAccountDisabled(app.db.sql, user.id, false);
    return `${user.email} is enabled`;
  },
};

if (import.meta.main) runTask(usage, (args) => runCommand(COMMANDS, args));
