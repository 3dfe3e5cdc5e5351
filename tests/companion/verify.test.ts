/**
 * verifyMailbox against the real stack: oidc-provider tokens, Dovecot IMAP (introspection), smtp-server
 * submission delivering into Dovecot. Each failure is produced by the servers themselves (a disabled
 * mailbox, SMTP AUTH off, a revoked or expired token, a stopped server, a slow or flapping one, a
 * certificate that does not fit), and the verdict must name the right cause and fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMailbox, type VerifyOptions } from '../../companion/src/verify/verify-mailbox';
import {
  READY_HEADLINE,
  VERIFY_STEP_IDS,
  verdictSchema,
  verifyEventSchema,
  type VerifyTarget,
} from '../../lib/verification';
import { ACCOUNTS, startMailStack, type MailStack } from '../stack';
import { microsoftTarget, resolveRulesFor, startExpiredCertServer, stepRecorder } from './verify-support';

let stack: MailStack;
let base: VerifyOptions;

beforeAll(async () => {
  stack = await startMailStack();
  base = { resolve: resolveRulesFor(stack), extraCaPem: stack.ca, timeoutMs: 10_000 };
});
afterAll(async () => {
  await stack?.stop();
});

function statuses(verdict: { steps: Array<{ id: string; status: string }> }) {
  return Object.fromEntries(verdict.steps.map((s) => [s.id, s.status]));
}

describe('verifyMailbox: happy path', () => {
  it('streams every step green, shows a sample mail, completes a round trip, and says Ready', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email, { roundTrip: true });
    const rec = stepRecorder();
    const verdict = await verifyMailbox(target, { ...base, onStep: rec.onStep });

    expect(verdict.ready).toBe(true);
    expect(verdict.headline).toBe(READY_HEADLINE);
    expect(verdict.fixFirst).toBeUndefined();
    expect(statuses(verdict)).toEqual(Object.fromEntries(VERIFY_STEP_IDS.map((id) => [id, 'ok'])));
    verdictSchema.parse(verdict);

    // Streamed as it happened: each step announced 'running' before its result, in order.
    for (const id of VERIFY_STEP_IDS) {
      const mine = rec.events.filter((e) => e.id === id).map((e) => e.status);
      expect(mine).toEqual(['running', 'ok']);
    }
    const firstRunning = VERIFY_STEP_IDS.map((id) => rec.events.findIndex((e) => e.id === id));
    expect([...firstRunning].sort((a, b) => a - b)).toEqual(firstRunning);
    for (const e of rec.events) verifyEventSchema.parse({ type: 'step', step: e });

    expect(rec.final('tls')!.details).toMatch(/Issuer: .*Reauth Assist Test CA/);
    expect(rec.final('tls')!.details).toMatch(/outlook\.office365\.com/);
    // outlook.office365.com:993 maps to the XOAUTH2-only instance, like Exchange.
    expect(rec.final('imap-auth')!.summary).toContain('XOAUTH2');
    expect(rec.final('sample-mail')!.summary).toMatch(/Newest message: ".+" from .+/);
    expect(rec.final('smtp-connect')!.summary).toContain('STARTTLS');
    expect(rec.final('round-trip')!.summary).toMatch(/found it in INBOX/);

    // The token never leaves in anything streamed.
    const token = target.auth.accessToken;
    expect(JSON.stringify(rec.events)).not.toContain(token);
    expect(JSON.stringify(verdict)).not.toContain(token);
  });

  it('the round trip removed its test message and the sample shows the newest mail', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email, { roundTrip: true });
    const rec = stepRecorder();
    await verifyMailbox(target, { ...base, onStep: rec.onStep });
    const again = stepRecorder();
    await verifyMailbox({ ...target, roundTrip: false }, { ...base, onStep: again.onStep });
    expect(again.final('sample-mail')!.summary).not.toContain('Reauth Assist test');
    expect(again.final('round-trip')!.status).toBe('skipped');
  });

  it('IMAP with STARTTLS (port 143) and SMTP with implicit TLS (465) on a generic server', async () => {
    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.generic.email });
    const target: VerifyTarget = {
      address: ACCOUNTS.generic.email,
      imap: { host: 'mail.reauth.test', port: 143, security: 'starttls' },
      smtp: { host: 'mail.reauth.test', port: 465, security: 'tls' },
      provider: 'generic',
      auth: { user: ACCOUNTS.generic.email, accessToken: tokens.access_token },
    };
    const resolve = resolveRulesFor(stack, [
      { host: 'mail.reauth.test', port: 143, address: '127.0.0.1', targetPort: stack.imap.starttlsPort },
    ]);
    const rec = stepRecorder();
    const verdict = await verifyMailbox(target, { ...base, resolve, onStep: rec.onStep });
    expect(verdict.fixFirst).toBeUndefined();
    expect(verdict.ready).toBe(true);
    expect(rec.final('tls')!.summary).toContain('STARTTLS');
    expect(rec.final('imap-auth')!.summary).toContain('OAUTHBEARER');
    expect(rec.final('smtp-connect')!.summary).toContain('SSL/TLS');
  });
});

describe('verifyMailbox: what the servers refuse', () => {
  it(
    'IMAP disabled for the mailbox: AUTHENTICATE fails ' + 'with a valid token -> turn IMAP on for that mailbox',
    async () => {
      const target = await microsoftTarget(stack, ACCOUNTS.imapDisabled.email);
      expect((await stack.idp.introspect(target.auth.accessToken)).active).toBe(true);
      const verdict = await verifyMailbox(target, base);
      expect(verdict.ready).toBe(false);
      const step = verdict.steps.find((s) => s.id === 'imap-auth')!;
      expect(step.status).toBe('failed');
      expect(step.diagnosis).toBe('imap-disabled-or-wrong-user');
      // Dovecot words it "Authentication failed." with a JSON challenge, Exchange "AUTHENTICATE failed.": either way.
      expect(step.details).toMatch(/AUTHENTICATE failed|Authentication failed/i);
      expect(verdict.fixFirst?.diagnosis).toBe('imap-disabled-or-wrong-user');
      expect(verdict.fixFirst?.fix.join('\n')).toContain(
        `Set-CASMailbox -Identity ${ACCOUNTS.imapDisabled.email} -ImapEnabled $true`,
      );
      // SMTP is still checked: the admin learns everything in one run.
      expect(statuses(verdict)['smtp-auth']).toBe('ok');
    },
  );

  it('SMTP AUTH disabled for the tenant: 535 5.7.139 -> Exchange admin center > Settings > Mail flow', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.smtpDisabled.email);
    const verdict = await verifyMailbox(target, base);
    expect(statuses(verdict)['imap-auth']).toBe('ok');
    const step = verdict.steps.find((s) => s.id === 'smtp-auth')!;
    expect(step.status).toBe('failed');
    expect(step.diagnosis).toBe('smtp-auth-disabled-tenant');
    expect(step.details).toContain('5.7.139');
    expect(step.details).toContain('SmtpClientAuthentication is disabled for the Tenant');
    expect(verdict.fixFirst?.diagnosis).toBe('smtp-auth-disabled-tenant');
    const fix = verdict.fixFirst!.fix.join('\n');
    expect(fix).toContain('Settings > Mail flow');
    expect(fix).toContain('Turn off SMTP AUTH protocol for your organization');
    expect(fix).toContain(
      `Set-CASMailbox -Identity ${ACCOUNTS.smtpDisabled.email} -SmtpClientAuthenticationDisabled $false`,
    );
  });

  it('shared mailbox signing in to SMTP as itself: 535 5.7.3 -> authenticate as the delegate', async () => {
    const asItself = await microsoftTarget(stack, ACCOUNTS.delegate.email, { mailbox: ACCOUNTS.shared.email });
    asItself.auth.user = ACCOUNTS.shared.email;
    const verdict = await verifyMailbox(asItself, base);
    expect(statuses(verdict)['imap-auth']).toBe('ok');
    expect(verdict.fixFirst?.diagnosis).toBe('smtp-shared-mailbox');
    expect(verdict.steps.find((s) => s.id === 'smtp-auth')!.details).toContain('5.7.3');

    const asDelegate = await microsoftTarget(stack, ACCOUNTS.delegate.email, {
      mailbox: ACCOUNTS.shared.email,
      roundTrip: true,
    });
    const fixed = await verifyMailbox(asDelegate, base);
    expect(fixed.fixFirst).toBeUndefined();
    expect(fixed.ready).toBe(true);
  });

  it('revoked token: the server says the token is invalid -> sign in again', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    await stack.idp.revoke(target.auth.accessToken);
    const verdict = await verifyMailbox(target, base);
    expect(verdict.steps.find((s) => s.id === 'imap-auth')!.status).toBe('failed');
    expect(['token-rejected', 'imap-disabled-or-wrong-user']).toContain(verdict.fixFirst?.diagnosis);
    expect(verdict.fixFirst?.fix.join('\n')).toMatch(/sign in again/i);
    // IMAP never accepted it, so an SMTP refusal is read as a token problem too.
    const smtp = verdict.steps.find((s) => s.id === 'smtp-auth')!;
    expect(smtp.status).toBe('failed');
    expect(smtp.diagnosis).toBe('token-rejected');
  });

  it('expired token -> the sign-in has expired', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email, { ttl: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const verdict = await verifyMailbox(target, base);
    expect(verdict.fixFirst?.diagnosis).toBe('token-expired');
    expect(verdict.headline).toMatch(/expired/);
  });
});

describe('verifyMailbox: connection faults end with a diagnosis, never a hang', () => {
  it('IMAP server down -> connection refused, SMTP still checked', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    await stack.imap.stopServer();
    try {
      const verdict = await verifyMailbox(target, base);
      const tcp = verdict.steps.find((s) => s.id === 'tcp')!;
      expect(tcp.status).toBe('failed');
      expect(tcp.diagnosis).toBe('connection-refused');
      expect(tcp.details).toContain('ECONNREFUSED');
      expect(verdict.fixFirst?.fix.join('\n')).toMatch(/993/);
      expect(statuses(verdict)['imap-auth']).toBe('skipped');
      expect(statuses(verdict)['smtp-auth']).toBe('ok');
    } finally {
      await stack.imap.startServer();
    }
  });

  it('SMTP server down -> connection refused on the SMTP step', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    await stack.smtp.stopServer();
    try {
      const verdict = await verifyMailbox(target, base);
      expect(verdict.steps.find((s) => s.id === 'smtp-connect')!.diagnosis).toBe('connection-refused');
      expect(verdict.fixFirst?.step).toBe('smtp-connect');
    } finally {
      await stack.smtp.startServer();
    }
  });

  it('slow SMTP server -> the step times out with the timeout diagnosis and the verdict still comes', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    stack.smtp.setFault({ kind: 'slow', delayMs: 60_000 });
    try {
      const verdict = await verifyMailbox(target, { ...base, timeoutMs: 1500 });
      const step = verdict.steps.find((s) => s.id === 'smtp-connect')!;
      expect(step.status).toBe('failed');
      expect(step.diagnosis).toBe('connection-timeout');
      expect(statuses(verdict)['smtp-auth']).toBe('skipped');
    } finally {
      stack.smtp.setFault(null);
    }
  });

  it('flapping SMTP server (connection dropped at once) -> connection dropped, allowlisting advice', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    stack.smtp.setFault({ kind: 'flapping', failures: 1 });
    try {
      const verdict = await verifyMailbox(target, base);
      const step = verdict.steps.find((s) => s.id === 'smtp-connect')!;
      expect(step.diagnosis).toBe('connection-dropped');
      expect(verdict.fixFirst?.fix.join('\n')).toMatch(/allowlist/);
    } finally {
      stack.smtp.setFault(null);
    }
  });

  it('cancelled by the caller -> stops at once with "cancelled", connections closed', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    stack.smtp.setFault({ kind: 'slow', delayMs: 60_000 });
    const abort = new AbortController();
    try {
      const verdict = await verifyMailbox(target, {
        ...base,
        timeoutMs: 60_000,
        signal: abort.signal,
        onStep: (s) => {
          if (s.id === 'smtp-connect' && s.status === 'running') setTimeout(() => abort.abort(), 200);
        },
      });
      expect(verdict.fixFirst?.diagnosis).toBe('aborted');
      expect(verdict.fixFirst?.step).toBe('smtp-connect');
    } finally {
      stack.smtp.setFault(null);
    }
  });

  it('unknown host name -> DNS diagnosis naming the host', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    target.imap = { host: 'outlook.office365.invalid', port: 993, security: 'tls' };
    const verdict = await verifyMailbox(target, base);
    expect(verdict.fixFirst?.diagnosis).toBe('dns-not-found');
    expect(verdict.headline).toContain('outlook.office365.invalid');
  });
});

describe('verifyMailbox: certificates and security settings', () => {
  it('a certificate from an authority nobody configured -> untrusted certificate', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    const { extraCaPem: _, ...withoutCa } = base;
    const verdict = await verifyMailbox(target, withoutCa);
    expect(verdict.fixFirst?.diagnosis).toBe('tls-cert-untrusted');
    expect(verdict.fixFirst?.step).toBe('tls');
  });

  it('an expired certificate -> the certificate has expired, renew it', async () => {
    const expired = await startExpiredCertServer('imap.expired.test');
    try {
      const target = await microsoftTarget(stack, ACCOUNTS.support.email);
      target.provider = 'generic';
      target.imap = { host: 'imap.expired.test', port: 993, security: 'tls' };
      const resolve = resolveRulesFor(stack, [
        { host: 'imap.expired.test', port: 993, address: '127.0.0.1', targetPort: expired.port },
      ]);
      const verdict = await verifyMailbox(target, { ...base, resolve });
      expect(verdict.fixFirst?.diagnosis).toBe('tls-cert-expired');
      expect(verdict.fixFirst?.step).toBe('tls');
      expect(verdict.fixFirst?.fix.join('\n')).toMatch(/renew/);
    } finally {
      await expired.close();
    }
  });

  it('a certificate made out for other names -> host mismatch, with the names it has', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    target.imap = { host: 'imap.not-in-cert.example', port: 993, security: 'tls' };
    const resolve = resolveRulesFor(stack, [
      { host: 'imap.not-in-cert.example', port: 993, address: '127.0.0.1', targetPort: stack.imap.port },
    ]);
    const verdict = await verifyMailbox(target, { ...base, resolve });
    const tls = verdict.steps.find((s) => s.id === 'tls')!;
    expect(tls.diagnosis).toBe('tls-cert-host-mismatch');
    expect(tls.details).toContain('DNS:outlook.office365.com');
  });

  it('SSL/TLS set on a STARTTLS port -> the security setting does not match the port', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.generic.email);
    target.provider = 'generic';
    target.imap = { host: 'mail.reauth.test', port: 143, security: 'tls' };
    const resolve = resolveRulesFor(stack, [
      { host: 'mail.reauth.test', port: 143, address: '127.0.0.1', targetPort: stack.imap.starttlsPort },
    ]);
    const verdict = await verifyMailbox(target, { ...base, resolve });
    expect(verdict.fixFirst?.diagnosis).toBe('tls-wrong-mode');
  });

  it(
    'Microsoft mailbox with SMTP on 465 -> Microsoft does ' + 'not answer on 465, use smtp.office365.com 587 STARTTLS',
    async () => {
      const target = await microsoftTarget(stack, ACCOUNTS.support.email);
      target.smtp = { host: 'smtp.office365.com', port: 465, security: 'tls' };
      const verdict = await verifyMailbox(target, base);
      expect(statuses(verdict)['imap-auth']).toBe('ok');
      expect(verdict.fixFirst?.diagnosis).toBe('microsoft-smtp-465');
      expect(verdict.headline).toContain('465');
      expect(verdict.fixFirst?.fix.join('\n')).toContain('smtp.office365.com, port 587, STARTTLS');
      expect(verdict.fixFirst?.cause).toContain('Freshdesk');
    },
  );
});
