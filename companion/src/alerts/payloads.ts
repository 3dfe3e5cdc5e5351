/**
 * The alert's bodies: our own JSON, a Slack incoming-webhook message (text + Block Kit) and a Teams
 * Workflows webhook message (an Adaptive Card in a message attachment). They are built only from the
 * fields below: no token, key, pairing secret or webhook setting can reach a body, and the free-text reason
 * (a server's words) has anything token-shaped masked before it goes out.
 */
import { ALERT_NEXT_STEPS, alertTitle as titleOf, type AlertEvent } from '../../../lib/mailbox-alerts';

export interface MailboxAlert {
  event: AlertEvent;
  mailbox: string;
  provider: string;
  /** The companion's status at the change (needs-reauth, disconnected, connected). */
  status: string;
  /** The problem in an admin's words, or null. */
  reason: string | null;
  outageSince: string | null;
  at: string;
}

/** A JWT (header.payload.signature, each base64url; the header always starts with `{"` = eyJ). */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
/** Long unbroken runs of base64/base64url (opaque tokens, secrets) in a server's text. */
const TOKEN_LIKE = /[A-Za-z0-9_\-+/]{32,}={0,2}/g;

export function maskTokenLike(text: string): string {
  // Digits and letters both: a token, not a long word or path of words.
  const tokenShaped = (run: string) => /\d/.test(run) && /[A-Za-z]/.test(run);
  return text.replace(JWT, '[hidden]').replace(TOKEN_LIKE, (run) => (tokenShaped(run) ? '[hidden]' : run));
}

export function alertTitle(alert: MailboxAlert): string {
  return titleOf(alert.event, alert.mailbox);
}

function details(alert: MailboxAlert): string[] {
  const lines: string[] = [];
  if (alert.reason) lines.push(maskTokenLike(alert.reason));
  lines.push(ALERT_NEXT_STEPS[alert.event]);
  return lines;
}

export function jsonBody(alert: MailboxAlert) {
  return {
    type: 'reauth-assist.mailbox-alert',
    version: 1,
    event: alert.event,
    mailbox: alert.mailbox,
    provider: alert.provider,
    status: alert.status,
    reason: alert.reason === null ? null : maskTokenLike(alert.reason),
    outageSince: alert.outageSince,
    at: alert.at,
    title: alertTitle(alert),
    nextStep: ALERT_NEXT_STEPS[alert.event],
  };
}

/** Slack reads &, < and > as markup (`<!channel>` would ping everyone): escape whatever came from outside. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_ICONS: Record<AlertEvent, string> = {
  'needs-reauth': ':warning:',
  disconnected: ':red_circle:',
  back: ':large_green_circle:',
};

export function slackBody(alert: MailboxAlert) {
  const title = alertTitle(alert);
  return {
    // Shown in notifications and by clients that do not render blocks.
    text: slackEscape(title),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${SLACK_ICONS[alert.event]} *${slackEscape(title)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: details(alert).map(slackEscape).join('\n') } },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: slackEscape(`Reauth Assist companion · ${alert.provider} · ${alert.at}`) },
        ],
      },
    ],
  };
}

const TEAMS_COLORS: Record<AlertEvent, string> = { 'needs-reauth': 'Warning', disconnected: 'Attention', back: 'Good' };

export function teamsBody(alert: MailboxAlert) {
  const facts = [
    { title: 'Mailbox', value: alert.mailbox },
    { title: 'Status', value: alert.status },
    { title: 'Provider', value: alert.provider },
    ...(alert.outageSince ? [{ title: 'Outage since', value: alert.outageSince }] : []),
    { title: 'At', value: alert.at },
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: alertTitle(alert),
              weight: 'Bolder',
              size: 'Medium',
              color: TEAMS_COLORS[alert.event],
              wrap: true,
            },
            ...details(alert).map((text) => ({ type: 'TextBlock', text, wrap: true })),
            { type: 'FactSet', facts },
          ],
        },
      },
    ],
  };
}

export function bodyFor(format: 'json' | 'slack' | 'teams', alert: MailboxAlert): unknown {
  if (format === 'slack') return slackBody(alert);
  if (format === 'teams') return teamsBody(alert);
  return jsonBody(alert);
}
