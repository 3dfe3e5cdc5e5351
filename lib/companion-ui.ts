/**
 * The extension's side of the companion: what the popup and the options page say to the worker about it,
 * and what the worker pushes back. Validated with zod on receipt like every other runtime message.
 *
 * The pairing secret goes options page -> worker once (when saved or tested) and never comes back: no
 * message here answers with it, and only extension pages may send any of them.
 */
import { z } from 'zod';
import {
  COMPANION_DEFAULT_HOST,
  COMPANION_DEFAULT_PORT,
  type MailboxState,
  type MailboxStatus,
  type OutageReportResponse,
} from './companion-api';
import { emailSchema } from './email';
import { defineMessage, noReply } from './message-contract';
import { PROVIDERS, type ProviderId } from './providers';
import { mailServerEndpointSchema, type MailServerEndpoint, type StepResult, type Verdict } from './verification';

export const COMPANION_DEFAULT_URL = `http://${COMPANION_DEFAULT_HOST}:${COMPANION_DEFAULT_PORT}`;
/** storage.local: `{ url, secret }`. Extension pages and the worker read it; no message returns the secret. */
export const COMPANION_PAIRING_KEY = 'companionPairing';
/** storage.local: mailbox -> the IMAP/SMTP servers the admin set for it (no secret). */
export const COMPANION_SERVERS_KEY = 'companionMailServers';

// ------------------------------------------------------------------------------------------------ pairing

/** http(s)://host[:port], nothing after it: the companion's API lives under /v1 of that origin. */
export const companionUrlSchema = z
  .string()
  .trim()
  .max(300)
  .url('enter the address the companion printed, e.g. http://127.0.0.1:8787')
  .transform((value) => value.replace(/\/+$/, ''))
  .refine((value) => /^https?:\/\/[^/?#]+$/.test(value), 'only the address, e.g. http://127.0.0.1:8787 (no path)')
  .refine(
    (value) => value.startsWith('https://') || isLoopbackUrl(value),
    'use https:// for a companion on another computer',
  );

/** What the companion prints at its first start: 32 random bytes, base64url. */
export const pairingSecretSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9_-]{20,200}$/,
    'paste the pairing secret exactly as the companion printed it (letters, digits, - and _)',
  );

export const companionPairingSchema = z.strictObject({ url: companionUrlSchema, secret: pairingSecretSchema });
export type CompanionPairing = z.infer<typeof companionPairingSchema>;

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/** The match pattern for host access to the companion (match patterns ignore ports). */
export function companionOriginPattern(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}

export const mailServersSchema = z.strictObject({ imap: mailServerEndpointSchema, smtp: mailServerEndpointSchema });
export type MailServers = z.infer<typeof mailServersSchema>;
export const storedMailServersSchema = z.record(emailSchema, mailServersSchema);

/** The servers a mailbox is verified against: the admin's, else the provider's (none for a generic provider). */
export function defaultMailServers(provider: ProviderId): MailServers | undefined {
  const { imap, smtp } = PROVIDERS[provider];
  return imap && smtp ? { imap: { ...imap }, smtp: { ...smtp } } : undefined;
}

// ------------------------------------------------------------------------------------------------ messages

const pairingStatusSchema = z.strictObject({ url: z.string(), hasSecret: z.boolean() });
export type PairingStatus = z.infer<typeof pairingStatusSchema>;

const connectionTestResultSchema = z.strictObject({
  ok: z.boolean(),
  checks: z.array(
    z.strictObject({
      /** What was tried, e.g. "Reach the companion" or "Use the pairing secret". */
      what: z.string(),
      ok: z.boolean(),
      message: z.string(),
    }),
  ),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
export type ConnectionCheck = ConnectionTestResult['checks'][number];

export const companionPairingStatus = defineMessage('companion-pairing-status', {}, pairingStatusSchema);
/** A missing secret keeps the saved one (the options page never gets it back to re-send). */
export const companionPairingSave = defineMessage(
  'companion-pairing-save',
  { url: companionUrlSchema, secret: pairingSecretSchema.optional() },
  pairingStatusSchema,
);
export const companionPairingForget = defineMessage('companion-pairing-forget', {}, pairingStatusSchema);
/** Tests what the form holds (empty secret: the saved one), without saving it. */
export const companionTest = defineMessage(
  'companion-test',
  { url: companionUrlSchema, secret: pairingSecretSchema.optional() },
  connectionTestResultSchema,
);
/** Hands the signed-in mailbox's tokens to the companion again (the popup's "hand over again"). */
export const companionHandoff = defineMessage('companion-handoff', { mailbox: emailSchema }, noReply);
/** Starts a verification; its steps reach the pages over COMPANION_STATE_PORT. */
export const companionVerify = defineMessage(
  'companion-verify',
  { mailbox: emailSchema, roundTrip: z.boolean() },
  noReply,
);
export const companionServersSave = defineMessage(
  'companion-servers-save',
  { mailbox: emailSchema, servers: mailServersSchema },
  noReply,
);
/** Polls the companion now. */
export const companionRefresh = defineMessage('companion-refresh', {}, noReply);

// ------------------------------------------------------------------------------------------------ popup state

type HandoffStatus = 'handing-over' | 'handed-over' | 'failed' | 'not-paired' | 'needs-servers';
export interface HandoffView {
  mailbox: string;
  status: HandoffStatus;
  /** What went wrong and the next step, for an admin. */
  error?: string;
  at: number;
}

export interface VerifyRunView {
  mailbox: string;
  status: 'running' | 'done' | 'error';
  roundTrip: boolean;
  /** Latest state of each step, in the order they first arrived. */
  steps: StepResult[];
  verdict?: Verdict;
  error?: string;
  startedAt: number;
}

export interface MonitoredView {
  /** When the list was last fetched (worker clock), null before the first answer. */
  fetchedAt: number | null;
  /** companion clock minus worker clock, so countdowns follow the companion's schedule. */
  clockOffsetMs: number;
  mailboxes: MailboxState[];
  error: string | null;
}

export interface CompanionPopupState {
  paired: boolean;
  url: string;
  monitored: MonitoredView;
  handoffs: HandoffView[];
  runs: VerifyRunView[];
  reports: OutageReportResponse[];
  servers: Record<string, MailServers>;
}

/** Keeps the latest state of each step id, in first-seen order (the stream sends "running" then the result). */
export function mergeStep(steps: readonly StepResult[], step: StepResult): StepResult[] {
  const index = steps.findIndex((s) => s.id === step.id);
  if (index === -1) return [...steps, step];
  const next = steps.slice();
  next[index] = step;
  return next;
}

// ------------------------------------------------------------------------------------------------ countdown

/** "0:07", "2:05", "1:02:03": a countdown as a clock reads. */
function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export const STATUS_LABELS: Readonly<Record<MailboxStatus, string>> = {
  pending: 'Waiting for its first check',
  connected: 'Connected',
  retrying: 'Retrying',
  disconnected: 'Disconnected',
  'needs-reauth': 'Needs reauthorization',
};

/** Statuses that count as broken on the badge. */
const BROKEN_STATUSES: ReadonlySet<MailboxStatus> = new Set(['retrying', 'disconnected', 'needs-reauth']);

/**
 * One line about a monitored mailbox's state, e.g. "Retrying: attempt 2 of 8 failed, next try in 0:41".
 * `now` is the worker/popup clock; `clockOffsetMs` moves it onto the companion's clock.
 */
export function describeMonitored(mailbox: MailboxState, now: number, clockOffsetMs = 0): string {
  const left = mailbox.nextRunAt === null ? null : Date.parse(mailbox.nextRunAt) - (now + clockOffsetMs);
  const when = left === null ? '' : left <= 0 ? 'now' : `in ${formatCountdown(left)}`;
  switch (mailbox.status) {
    case 'pending':
      return `Waiting for its first check${when ? ` (${when === 'now' ? 'due now' : when})` : ''}.`;
    case 'connected':
      return `Connected.${when ? ` Next check ${when}.` : ''}`;
    case 'retrying':
      return `Retrying: the last check failed; retry ${mailbox.attempt} of ${mailbox.maxAttempts} ${when || 'soon'}.`;
    case 'disconnected':
      return `Disconnected: all ${mailbox.maxAttempts} retries failed.${when ? ` Next check ${when}.` : ''}`;
    case 'needs-reauth':
      return (
        `Needs reauthorization: ` +
        `${(mailbox.reason ?? 'the provider refused its refresh token').replace(/\.\s*$/, '')}. Sign in to it again ` +
        `with Reauth Assist (on the helpdesk's email settings) to hand it over anew.`
      );
  }
}

// ------------------------------------------------------------------------------------------------ badge

export interface BadgeFace {
  text: string;
  title: string;
}

/**
 * The global badge, shown on every tab without a badge of its own: how many monitored mailboxes are broken.
 * Helpdesk tabs keep their own count (badge-feature sets it per tab, which the browser shows over this).
 */
export function companionBadge(mailboxes: readonly Pick<MailboxState, 'address' | 'status'>[]): BadgeFace {
  const broken = mailboxes.filter((m) => BROKEN_STATUSES.has(m.status));
  if (broken.length === 0) return { text: '', title: 'Reauth Assist' };
  const names = broken.slice(0, 5).map((m) => `${m.address} (${STATUS_LABELS[m.status].toLowerCase()})`);
  const more = broken.length > 5 ? `, and ${broken.length - 5} more` : '';
  return {
    text: broken.length > 999 ? '999+' : String(broken.length),
    title:
      `Reauth Assist: ${broken.length} monitored ${broken.length === 1 ? 'mailbox is' : 'mailboxes are'} not ` +
      `working: ${names.join(', ')}${more}`,
  };
}

export type { MailServerEndpoint };
