/**
 * What a mailbox address looks like, without zod: the content scripts check the worker's requests with it
 * (their bundle stays small); lib/email.ts builds the zod schema every other part uses from the same rule.
 */

/** One @, a dotted domain, no white space and no "/" (addresses travel in companion URL paths). */
export const EMAIL_PATTERN = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/;
export const MAX_EMAIL_LENGTH = 320;

/** The address as the schema reads it (trimmed, lower-cased), or null when it is not one. */
export function normalEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const address = value.trim().toLowerCase();
  return address.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(address) ? address : null;
}
