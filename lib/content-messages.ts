/**
 * The content scripts' side of their messages with the worker, without zod: the kinds, and hand checks of
 * the few messages a content script reads (the worker's requests, the reply to a reauthorization intent).
 * The zod definitions (lib/messages.ts, lib/helpdesk-picker-messages.ts) use these kinds; the worker validates
 * everything a content script sends with them. A content script only hears from its own extension, so a check
 * that mirrors the schema is enough here, and keeps zod out of a bundle loaded into every helpdesk page
 * (tests/unit/content-messages.test.ts holds each check to its schema).
 */
import type { ContentRequest } from './messages';
import { normalEmail } from './email-rule';

export const PAGE_REPORT = 'page-report';
export const REVEAL_IN_PAGE = 'reveal-in-page';
export const RESCAN = 'rescan';
export const REAUTH_INTENT = 'reauth-intent';
export const HELPDESK_FLOW_GUIDE = 'helpdesk-flow-guide';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only these keys (the schemas are strict objects). */
function hasOnly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key of Object.keys(value)) if (!keys.includes(key)) return false;
  return true;
}

/** A worker request to the content script (contentRequestSchema), or null when it is none of ours. */
export function readContentRequest(message: unknown): ContentRequest | null {
  if (!isRecord(message)) return null;
  if (message.kind === RESCAN) return hasOnly(message, ['kind']) ? { kind: RESCAN } : null;
  if (message.kind !== REVEAL_IN_PAGE || !hasOnly(message, ['kind', 'address'])) return null;
  const address = normalEmail(message.address);
  return address === null ? null : { kind: REVEAL_IN_PAGE, address };
}

/** Did the worker arm the account picker for a reauthorization intent (its reply, reauthIntent.reply)? */
export function intentArmed(answer: unknown): boolean {
  if (!isRecord(answer) || answer.ok !== true || !isRecord(answer.data)) return false;
  const data = answer.data;
  return data.armed === true && typeof data.address === 'string' && hasOnly(data, ['armed', 'address']);
}
