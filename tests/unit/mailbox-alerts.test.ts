import { describe, expect, it } from 'vitest';
import type { MailboxStatus } from '../../lib/companion-api';
import { alertFor, conditionOf, type AlertEvent, type Condition } from '../../lib/mailbox-alerts';
import { maskTokenLike } from '../../companion/src/alerts/payloads';

/** The alerts a sequence of statuses produces, starting from a mailbox never announced. */
function alertsOf(statuses: MailboxStatus[]): AlertEvent[] {
  let announced: Condition = 'working';
  const out: AlertEvent[] = [];
  for (const status of statuses) {
    const next = conditionOf(status, announced);
    const event = alertFor(announced, next);
    if (event) out.push(event);
    announced = next;
  }
  return out;
}

describe('which changes are announced', () => {
  it('a retry that succeeds is no news; all retries failing is, and so is coming back after it', () => {
    expect(alertsOf(['pending', 'connected', 'retrying', 'retrying', 'connected'])).toEqual([]);
    const outage: MailboxStatus[] = ['connected', 'retrying', 'disconnected', 'disconnected', 'retrying', 'connected'];
    expect(alertsOf([...outage, 'connected'])).toEqual(['disconnected', 'back']);
  });

  it('needs-reauth is announced once, also after disconnected; a new handoff that works is back', () => {
    const revoked: MailboxStatus[] = ['disconnected', 'needs-reauth', 'needs-reauth', 'pending', 'connected'];
    expect(alertsOf(revoked)).toEqual(['disconnected', 'needs-reauth', 'back']);
  });

  it('a mailbox first seen broken is announced; first seen working is not', () => {
    expect(alertsOf(['needs-reauth'])).toEqual(['needs-reauth']);
    expect(alertsOf(['connected'])).toEqual([]);
  });
});

describe('token-shaped text in a server reason', () => {
  it('is masked; words, hosts and short codes are kept', () => {
    const token = ['eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiJtcy1zdWItMSJ9', 'c2lnbmF0dXJlLTEyMzQ1Njc4OTA']
      .join('.');
    const masked = maskTokenLike(`AUTHENTICATE failed for ${token} at outlook.office365.com:993 (5.7.139)`);
    expect(masked).not.toMatch(/eyJ/);
    expect(masked).toContain('outlook.office365.com:993 (5.7.139)');
    expect(maskTokenLike('Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant')).toBe(
      'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant',
    );
  });
});
