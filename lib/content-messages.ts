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

type Check = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A strict object, as the schemas' are: no key beyond the shape's, and each of its keys passing its check. */
const shaped =
  (shape: Record<string, Check>): Check =>
  (value) =>
    isRecord(value) &&
    Object.keys(value).every((key) => Object.hasOwn(shape, key)) &&
    Object.entries(shape).every(([key, check]) => check(value[key]));

const is =
  (expected: unknown): Check =>
  (value) =>
    value === expected;

/** A worker request to the content script (contentRequestSchema), or null when it is none of ours. */
export function readContentRequest(message: unknown): ContentRequest | null {
  if (shaped({ kind: is(RESCAN) })(message)) return { kind: RESCAN };
  if (!shaped({ kind: is(REVEAL_IN_PAGE), address: () => true })(message)) return null;
  const address = normalEmail((message as { address: unknown }).address);
  return address === null ? null : { kind: REVEAL_IN_PAGE, address };
}

/** Did the worker arm the account picker for a reauthorization intent (its reply, reauthIntent.reply)? */
export function intentArmed(answer: unknown): boolean {
  const armed = shaped({ armed: is(true), address: (value) => typeof value === 'string' });
  return isRecord(answer) && answer.ok === true && armed(answer.data);
}

/** Help lines as the page-help schemas bound them: at most 30 lines of at most 1,000 characters. */
const isLine: Check = (value) => typeof value === 'string' && value.length <= 1000;
const isLines: Check = (value) => Array.isArray(value) && value.length <= 30 && value.every(isLine);
const lineOrNull: Check = (value) => value === null || isLine(value);

const isMarkDetails = shaped({
  cause: isLine,
  press: lineOrNull,
  stepsLabel: isLine,
  steps: isLines,
  primaryLabel: lineOrNull,
  primarySteps: isLines,
  notes: isLines,
});

const isBannerHelp = shaped({
  stillShowing: shaped({ title: isLine, steps: isLines }),
  keepsDropping: shaped({ title: isLine, text: isLine }),
  ips: isLines,
  ipList: isLine,
  ipCopy: shaped({ label: isLine, copied: isLine, refused: isLine }),
  retryPolicy: shaped({ title: isLine, text: isLine }),
  ports: shaped({ title: isLine, lines: isLines }),
});

/** The worker's words for an opened mark (markDetailsRequest.reply), or null. */
export function readMarkDetails(data: unknown): MarkDetails | null {
  return isMarkDetails(data) ? (data as MarkDetails) : null;
}

/** The worker's words for the banner's further help (bannerHelpRequest.reply), or null. */
export function readBannerHelp(data: unknown): BannerHelp | null {
  return isBannerHelp(data) ? (data as BannerHelp) : null;
}
