/**
 * The content scripts' side of their messages with the worker, without zod: the kinds, and hand checks of
 * the few messages a content script reads (the worker's requests, the reply to a reauthorization intent, the
 * words of an opened mark or banner help).
 * The zod definitions (lib/messages.ts, lib/helpdesk-picker-messages.ts) use these kinds; the worker validates
 * everything a content script sends with them. A content script only hears from its own extension, so a check
 * that mirrors the schema is enough here, and keeps zod out of a bundle loaded into every helpdesk page
 * (tests/unit/content-messages.test.ts holds each check to its schema).
 */
import type { BannerHelp } from './banner-help';
import type { MarkDetails } from './mark-details';
import type { ContentRequest } from './messages';
import { normalEmail } from './email-rule';

export const PAGE_REPORT = 'page-report';
export const REVEAL_IN_PAGE = 'reveal-in-page';
export const RESCAN = 'rescan';
export const REAUTH_INTENT = 'reauth-intent';
export const HELPDESK_FLOW_GUIDE = 'helpdesk-flow-guide';
export const MARK_DETAILS = 'mark-details';
export const BANNER_HELP = 'banner-help';

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

/** Help lines as the page-help schemas bound them: at most 30 lines of at most 1,000 characters. */
const isLine = (value: unknown): value is string => typeof value === 'string' && value.length <= 1000;
const isLines = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= 30 && value.every(isLine);
const isTitled = (value: unknown, keys: readonly string[], body: (v: Record<string, unknown>) => boolean) =>
  isRecord(value) && hasOnly(value, ['title', ...keys]) && isLine(value.title) && body(value);

const MARK_DETAILS_KEYS = ['cause', 'press', 'stepsLabel', 'steps', 'primaryLabel', 'primarySteps', 'notes'];

/** The worker's words for an opened mark (markDetailsRequest.reply), or null. */
export function readMarkDetails(data: unknown): MarkDetails | null {
  if (!isRecord(data) || !hasOnly(data, MARK_DETAILS_KEYS)) return null;
  const nullableLine = (value: unknown) => value === null || isLine(value);
  const fits =
    isLine(data.cause) &&
    nullableLine(data.press) &&
    isLine(data.stepsLabel) &&
    isLines(data.steps) &&
    nullableLine(data.primaryLabel) &&
    isLines(data.primarySteps) &&
    isLines(data.notes);
  return fits ? (data as unknown as MarkDetails) : null;
}

/** The worker's words for the banner's further help (bannerHelpRequest.reply), or null. */
export function readBannerHelp(data: unknown): BannerHelp | null {
  if (!isRecord(data) || !hasOnly(data, ['stillShowing', 'keepsDropping', 'ips', 'ipList', 'retryPolicy', 'ports'])) {
    return null;
  }
  const fits =
    isTitled(data.stillShowing, ['steps'], (v) => isLines(v.steps)) &&
    isTitled(data.keepsDropping, ['text'], (v) => isLine(v.text)) &&
    isLines(data.ips) &&
    isLine(data.ipList) &&
    isLine(data.retryPolicy) &&
    isTitled(data.ports, ['lines'], (v) => isLines(v.lines));
  return fits ? (data as unknown as BannerHelp) : null;
}
