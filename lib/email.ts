import * as z from 'zod/mini';

/** One @, a dotted domain, no white space and no "/" (addresses travel in companion URL paths). */
const EMAIL_PATTERN = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/;

/**
 * A mailbox address as every part of the product accepts it: trimmed, lower-cased, at most 320 characters,
 * matching EMAIL_PATTERN. zod/mini, so content scripts can use it without the classic API.
 */
export const emailSchema = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.maxLength(320), z.regex(EMAIL_PATTERN, 'not an email address'));

/** The address as emailSchema reads it (trimmed, lower-cased), or null when it is not one. */
export function emailAddressOf(value: unknown): string | null {
  const parsed = z.safeParse(emailSchema, value);
  return parsed.success ? parsed.data : null;
}

/** Is this text (trimmed and lower-cased first) an address emailSchema accepts? */
export function isEmailAddress(text: string): boolean {
  return emailAddressOf(text) !== null;
}
