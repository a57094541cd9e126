// Email addresses as accounts store them: trimmed and lower-cased, so lookups and the unique
// constraint are case-insensitive (migrations/0001_initial.sql checks the same form). Mail is
// never sent to them, so any printable text around one @ is accepted; pages escape it.
import { hasControlCharacter } from "../util/control_characters.ts";

export const EMAIL_MAX_LENGTH = 254;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The stored form of `raw`, or null when it is not an email address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email) || hasControlCharacter(email)) {
    return null;
  }
  return email;
}
