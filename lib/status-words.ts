/**
 * The words that make a helpdesk's status or error text a result worth reading (success or failure). Kept
 * apart from lib/page-status.ts so the content script can spot such texts without bundling the diagnosis
 * catalogue (the worker explains them).
 */
import { anyOf } from './any-of';

export const OK_WORDS =
  /\b(?:success(?:ful(?:ly)?)?|connected|connection\s+(?:ok|succeeded|established)|test\s+passed|fetched)\b/i;
export const BAD_WORDS = new RegExp(
  '\\b(?:fail(?:ed|ure|s)?|error|exception|denied|unsuccessful|refused|invalid|unable|cannot|could\\s+not|' +
    'timed?\\s*out|expired|untrusted|disconnected)\\b',
  'i',
);
export const AUTH_WORDS = anyOf([
  /AUTHENTICATE\s+failed|AuthenticationFailed|authentication\s+(?:failed|unsuccessful|error)/,
  /invalid\s+credentials|login\s+failed|\b535\b|5\.7\.\d{1,3}|bad\s+credentials|logon\s+failure/,
]);

/** Does this text read as a result at all (good or bad)? */
export function isStatusText(text: string): boolean {
  return OK_WORDS.test(text) || BAD_WORDS.test(text) || AUTH_WORDS.test(text);
}

/** Does it read as a failure? */
export function isFailureText(text: string): boolean {
  return (
    AUTH_WORDS.test(text) ||
    (BAD_WORDS.test(text) && !(OK_WORDS.test(text) && !BAD_WORDS.test(text.replace(OK_WORDS, ''))))
  );
}
