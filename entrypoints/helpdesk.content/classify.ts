/**
 * Classification of one helpdesk mailbox row: connected, or needs reauthorization and why.
 *
 * Pure string logic, no DOM: a detector gathers the row's words (visible text, aria-label and title values)
 * and which fix controls the row offers, and this module decides. The wording comes from the helpdesks' own
 * public help articles (Freshdesk's reauthorization articles), so every phrase an article quotes is recognised.
 */
import { anyOf } from '../../lib/any-of';
import type { FixControl, ScenarioId } from '../../lib/scenarios';
import type { MailProvider } from '../../lib/messages';

export interface RowControls {
  /** A "Re-authorize" link or button. */
  reauthorizeLink: boolean;
  /** A "Sign in with Microsoft" button. */
  signInWithMicrosoft: boolean;
  /** The pencil / edit icon next to the mailbox's settings. */
  editIcon: boolean;
}

export interface RowSignals {
  /** The row's words: visible text plus aria-label and title values (status may be given only as a tooltip). */
  texts: readonly string[];
  /** The mailbox address; its domain hints at the provider (gmail.com, outlook.com, ...). */
  address?: string;
  controls: RowControls;
}

export type Classification =
  | { state: 'connected'; provider?: MailProvider; statusText: string }
  | {
      state: 'needs-reauth';
      scenario: ScenarioId;
      provider?: MailProvider;
      /** What to press; null when the row offers none of the controls the steps mention. */
      control: FixControl | null;
      statusText: string;
    };

// Problems, in the words of the seeds (and the few plain variants helpdesks use for the same states).
const CREDENTIALS_EXPIRED = /credentials\s+(?:have|has)\s+expired|please\s+sign\s+in\s+again/i;
const REAUTH_REQUIRED = anyOf([
  /re-?authori[sz]ation\s+(?:is\s+)?(?:required|needed)|needs?\s+re-?authori[sz]ation|please\s+re-?authori[sz]e/,
  /\bunauthori[sz]ed\b|\bnot\s+authori[sz]ed\b/,
  // Other helpdesks' words for the same state.
  /\b(?:action|sign-?in|log-?in|consent|re-?auth(?:entication)?)\s+(?:is\s+)?(?:required|needed)\b/,
  /\bneeds?\s+attention\b/,
]);
const UNEXPECTED_ERROR = /unexpected\s+error/i;
const DISCONNECTED = anyOf([
  /\bdisconnected\b|\bnot\s+connected\b|\bconnection\s+(?:lost|failed|error)\b|\boffline\b/,
  /\b(?:sync|syncing|fetch|fetching|sending|receiving)\s+(?:has\s+)?(?:failed|failing|error|stopped)\b/,
]);
/** A token or grant that ran out or was taken back: Microsoft's expired-token scenario. */
const TOKEN_EXPIRED = anyOf([
  /\b(?:token|authori[sz]ation|access|grant|session|consent|credentials?)\s+(?:\w+\s+){0,2}(?:expired|revoked)\b/,
  /\brevoked\b|^\s*expired\s*$|\binvalid[\s_](?:grant|token)\b/,
]);
/** A status that is only the word for a failure (a badge: "Failed", "Error"). */
const FAILED_BADGE = /^\W*(?:failed|failing|failure|error)\W*$/i;
const PASSWORD_PROBLEM = anyOf([
  /password\s+(?:has\s+|was\s+)?(?:expired|changed)|invalid\s+(?:credentials|password)/,
  // Also the servers' own replies: IMAP's "AUTHENTICATE failed", SMTP's "Authentication unsuccessful".
  /\b(?:authenticat(?:ion|e)|auth|login|sign-?in)\s+(?:has\s+)?(?:fail(?:ed|ing|ure)|error|unsuccessful)\b/,
  /\bauthori[sz]ation\s+(?:has\s+)?(?:fail(?:ed|ing|ure)|error)\b/,
]);
const REAUTHORIZE_WORD = /re-?authori[sz]e/i;
/** The fix named as words in the status area (not only as a link): "Re-authorize", "Sign in again", "Reconnect". */
const ACTION_WORDS = /\bre-?authori[sz]e\b|\b(?:sign|log)\s*in\s+again\b|\breconnect\b|\bre-?authenticate\b/i;

// Fine: a positive word that is not negated ("not active", "inactive" and "unverified" do not match \b...).
const CONNECTED = /\b(?:active|connected|verified|authori[sz]ed|working|healthy|syncing|online)\b|^\W*ok\W*$/i;
const NEGATED_CONNECTED = /\bnot\s+(?:active|connected|verified|authori[sz]ed|working|syncing|online)\b/i;

const PROBLEMS = [
  CREDENTIALS_EXPIRED,
  REAUTH_REQUIRED,
  UNEXPECTED_ERROR,
  DISCONNECTED,
  TOKEN_EXPIRED,
  PASSWORD_PROBLEM,
  FAILED_BADGE,
];
/** Wordings only Microsoft's expired-token scenario uses (Scenario 3), whatever the provider shown. */
const MICROSOFT_EXPIRED = [CREDENTIALS_EXPIRED, UNEXPECTED_ERROR, DISCONNECTED];

// Provider and authentication hints ("Microsoft Office 365", "Gmail", "Other", "Basic").
const SIGN_IN_WITH_MICROSOFT = /sign\s+in\s+with\s+microsoft/gi;
const MICROSOFT = /\bmicrosoft\b|\boffice\s*365\b|\bm365\b|\boutlook\b|\bexchange\b|\bhotmail\b/i;
const GOOGLE = /\bgmail\b|\bgoogle\b/i;
const OTHER = /\bother\b|\bcustom\s+mail\s+server\b|\bimap\b/i;
const BASIC_AUTH = /\bbasic(?:\s+auth(?:entication)?)?\b/i;
const OAUTH = /\boauth/i;

const MICROSOFT_DOMAINS = /@(?:outlook|hotmail|live|msn)\.[a-z.]+$/i;
const GOOGLE_DOMAINS = /@(?:gmail|googlemail)\.com$/i;

const STATUS_WORDS = anyOf([...PROBLEMS, CONNECTED, REAUTHORIZE_WORD, ACTION_WORDS]);
const SIGNAL_WORDS = anyOf([
  STATUS_WORDS,
  MICROSOFT,
  GOOGLE,
  OTHER,
  BASIC_AUTH,
  OAUTH,
  /\bprimary\b|\bincoming\b|\boutgoing\b/,
]);

/**
 * Status words with no word boundaries: for an element's whole textContent, where words of neighbouring cells
 * are glued ("GmailActive"). A hint that the element holds a status; its words cut at blocks then decide.
 */
const STATUS_HINT = new RegExp(STATUS_WORDS.source.replace(/\\b/g, ''), 'i');

const STATUS_PHRASES = new RegExp(STATUS_WORDS.source, 'gi');
const GLUED_SIGNALS = new RegExp(SIGNAL_WORDS.source.replace(/\\b/g, ''), 'gi');

/** Status and provider words in a text whose words may be glued ("Connectedsales"), lower case, in order. */
export function gluedSignals(text: string): string {
  return text.match(GLUED_SIGNALS)?.join(' ').toLowerCase() ?? '';
}

/** The status phrases in a text, as written ("Reauthorization required", "Active"). */
export function statusPhrases(text: string): string[] {
  return text.match(STATUS_PHRASES) ?? [];
}

export function mayHoldStatus(text: string): boolean {
  return STATUS_HINT.test(text);
}

/** Does this text state a mailbox's status (fine or broken)? Detectors use it to find the status in a row. */
export function hasStatusWords(text: string): boolean {
  return STATUS_WORDS.test(text);
}

/** Does this text matter for classification (status, provider or auth hint)? Detectors keep only these. */
export function isSignalText(text: string): boolean {
  return SIGNAL_WORDS.test(text);
}

export function detectProvider(texts: readonly string[], address?: string): MailProvider | undefined {
  // The "Sign in with Microsoft" button is a control, not a statement about this mailbox's provider.
  const words = texts.join(' \n ').replace(SIGN_IN_WITH_MICROSOFT, ' ');
  if (MICROSOFT.test(words)) return 'microsoft';
  if (GOOGLE.test(words)) return 'google';
  if (address && MICROSOFT_DOMAINS.test(address)) return 'microsoft';
  if (address && GOOGLE_DOMAINS.test(address)) return 'google';
  if (OTHER.test(words)) return 'other';
  return undefined;
}

/** The one provider a group's heading names; none when it names several ("Microsoft 365 or Gmail"). */
export function headingProvider(text: string): MailProvider | undefined {
  return [MICROSOFT, GOOGLE, OTHER].filter((re) => re.test(text)).length === 1 ? detectProvider([text]) : undefined;
}

function scenarioFor(
  problemText: string,
  allText: string,
  provider: MailProvider | undefined,
  controls: RowControls,
  actionNamed = false,
): ScenarioId {
  const basic = BASIC_AUTH.test(allText);
  const oauth = OAUTH.test(allText);
  const microsoftExpired = MICROSOFT_EXPIRED.some((re) => re.test(problemText));
  // Gmail and Other mailboxes: the seeds' Case 2 (password expired or changed), whatever the wording.
  if (provider === 'google' || provider === 'other') return 'password-expired';
  const microsoftLike = provider === 'microsoft' || controls.signInWithMicrosoft;
  if (microsoftLike) {
    if (basic) return 'microsoft-basic-auth';
    if (oauth || microsoftExpired || TOKEN_EXPIRED.test(problemText)) return 'microsoft-oauth-expired';
    // "Re-authorize" next to a Microsoft Office 365 address with no OAuth yet: the Basic -> OAuth migration.
    if (controls.reauthorizeLink || actionNamed || REAUTH_REQUIRED.test(problemText)) return 'microsoft-basic-auth';
    return 'microsoft-oauth-expired';
  }
  // Provider not shown: the Microsoft-only wordings still name Scenario 3 (expired token; outgoing-only
  // "Unexpected error"; "disconnected" after the automatic retries); everything else reads as Case 2.
  if (basic) return 'microsoft-basic-auth';
  return microsoftExpired ? 'microsoft-oauth-expired' : 'password-expired';
}

/** Which control to highlight, following the scenario's steps and falling back to what the row offers. */
export function controlFor(scenario: ScenarioId, controls: RowControls): FixControl | null {
  const order: readonly FixControl[] =
    scenario === 'microsoft-oauth-expired'
      ? ['sign-in-with-microsoft', 'edit-icon', 'reauthorize-link']
      : scenario === 'microsoft-basic-auth'
        ? ['reauthorize-link', 'sign-in-with-microsoft', 'edit-icon']
        : ['reauthorize-link', 'edit-icon'];
  const present: Record<FixControl, boolean> = {
    'reauthorize-link': controls.reauthorizeLink,
    'sign-in-with-microsoft': controls.signInWithMicrosoft,
    'edit-icon': controls.editIcon,
  };
  return order.find((c) => present[c]) ?? null;
}

const MAX_STATUS_TEXT = 500;

function statusTextOf(texts: readonly string[], pick: (t: string) => boolean): string {
  const picked: string[] = [];
  for (const t of texts) {
    const clean = t.replace(/\s+/g, ' ').trim();
    if (clean && pick(clean) && !picked.includes(clean)) picked.push(clean);
  }
  return picked.join(' · ').slice(0, MAX_STATUS_TEXT);
}

/**
 * Classify one mailbox row. Returns null when the row states no status we recognise, so a detector never
 * marks an element it does not understand.
 */
export function classifyMailbox(signals: RowSignals): Classification | null {
  const { texts, address, controls } = signals;
  const provider = detectProvider(texts, address);
  const problems = texts.filter((t) => PROBLEMS.some((re) => re.test(t)));
  const allText = texts.join(' \n ');

  const fine = texts.filter((t) => CONNECTED.test(t) && !NEGATED_CONNECTED.test(t));
  const actions = texts.filter((t) => ACTION_WORDS.test(t));
  // A Re-authorize link (or the action named as words) with no status words means "needs reauthorization"
  // (the seeds' Scenario 1); next to an explicit "Active" it is just an action the helpdesk always offers.
  if (problems.length > 0 || ((controls.reauthorizeLink || actions.length > 0) && fine.length === 0)) {
    const problemText = problems.join(' \n ');
    const scenario = scenarioFor(problemText, allText, provider, controls, actions.length > 0);
    const statusText = statusTextOf(problems, () => true) || statusTextOf(actions, () => true) || 'Re-authorize';
    return { state: 'needs-reauth', scenario, provider, control: controlFor(scenario, controls), statusText };
  }

  if (fine.length > 0) return { state: 'connected', provider, statusText: statusTextOf(fine, () => true) };
  return null;
}
