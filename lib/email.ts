import { z } from 'zod';

/**
 * A mailbox address as every part of the product accepts it: trimmed, lower-cased, one @, a dotted domain.
 * No "/" either, because addresses travel in companion URL paths.
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/, 'not an email address');
