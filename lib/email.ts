import * as z from 'zod/mini';
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH } from './email-rule';

/**
 * A mailbox address as every part of the product accepts it: trimmed, lower-cased, at most 320 characters,
 * matching EMAIL_PATTERN (lib/email-rule.ts, the same rule the content scripts check without zod).
 */
export const emailSchema = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.maxLength(MAX_EMAIL_LENGTH), z.regex(EMAIL_PATTERN, 'not an email address'));

/** The address as emailSchema reads it (trimmed, lower-cased), or null when it is not one. */
export function emailAddressOf(value: unknown): string | null {
  const parsed = z.safeParse(emailSchema, value);
  return parsed.success ? parsed.data : null;
}

/** Is this text (trimmed and lower-cased first) an address emailSchema accepts? */
export function isEmailAddress(text: string): boolean {
  return emailAddressOf(text) !== null;
}
