/**
 * The worker's requests to this content script, checked against their definitions (lib/messages.ts);
 * anything else is not ours to answer.
 */
import * as z from 'zod/mini';
import { contentRequestSchema, type ContentRequest } from '../../lib/messages';

export function parseContentRequest(message: unknown): ContentRequest | null {
  const parsed = z.safeParse(contentRequestSchema, message);
  return parsed.success ? parsed.data : null;
}
