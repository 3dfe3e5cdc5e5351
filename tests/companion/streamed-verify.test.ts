import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROME_EXTENSION_ORIGIN,
  NDJSON_CONTENT_TYPE,
  mailboxListResponseSchema,
  mailboxPath,
  outageReportResponseSchema,
  verifyStreamLineSchema,
  type VerifyStreamLine,
} from '../../lib/companion-api';
import { ACCOUNTS, type MailStack } from '../stack';
import { startStackWithCompanion, type StackWithCompanion } from '../support/stack-routing';
import { api, handOverTokens, storedBytes, waitFor, type ChildCompanion } from './companion-support';

/** Reads the NDJSON stream line by line, handing each line on the moment it is parsed. */
async function streamVerify(
  companion: ChildCompanion,
  address: string,
  body: object,
  onLine: (line: VerifyStreamLine) => void = () => undefined,
) {
  const res = await fetch(`${companion.url}${mailboxPath(address, '/verify')}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${companion.secret}`,
      origin: CHROME_EXTENSION_ORIGIN,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(NDJSON_CONTENT_TYPE);
  const lines: VerifyStreamLine[] = [];
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = verifyStreamLineSchema.parse(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      onLine(line);
    }
  }
  expect(buffered).toBe('');
  return { lines };
}

describe('verification streamed by the companion (real Dovecot, SMTP and identity provider)', () => {
  let parts: StackWithCompanion;
  let stack: MailStack;
  let companion: ChildCompanion;

  beforeAll(async () => {
    parts = await startStackWithCompanion();
    ({ stack, companion } = parts);
  });
  afterAll(async () => {
    await parts?.stop();
  });

  it('streams every step as it happens, then one verdict: ready', async () => {
    await handOverTokens(stack, companion, ACCOUNTS.support.email);
    // "As it happens", told by cause rather than by how TCP cut the stream: when the IMAP steps are read, the
    // round trip's test message has not reached the SMTP server yet. A companion that held the stream back
    // until the verdict would have sent it by then. Slow SMTP replies keep a loaded reader well ahead.
    const sentBefore = stack.smtp.received().length;
    let sentWhenImapWasRead: number | undefined;
    stack.smtp.setFault({ kind: 'slow', delayMs: 500 });
    let lines: VerifyStreamLine[];
    try {
      ({ lines } = await streamVerify(companion, ACCOUNTS.support.email, { roundTrip: true }, (line) => {
        if (line.type === 'step' && line.step.id === 'imap-command' && line.step.status === 'ok') {
          sentWhenImapWasRead = stack.smtp.received().length;
        }
      }));
    } finally {
      stack.smtp.setFault(null);
    }
    expect(sentWhenImapWasRead).toBe(sentBefore);
    expect(stack.smtp.received().length).toBe(sentBefore + 1);
    const verdicts = lines.filter((l) => l.type === 'verdict');
    expect(verdicts).toHaveLength(1);
    expect(lines.at(-1)!.type).toBe('verdict');
    const steps = lines.flatMap((l) => (l.type === 'step' ? [l.step] : []));
    expect(steps.some((s) => s.id === 'imap-auth' && s.status === 'running')).toBe(true);
    for (const id of ['tcp', 'tls', 'imap-auth', 'imap-command', 'smtp-auth', 'round-trip'] as const) {
      expect(steps.filter((s) => s.id === id).at(-1)?.status, id).toBe('ok');
    }
    const verdict = verdicts[0]!.type === 'verdict' ? verdicts[0]!.verdict : undefined;
    expect(verdict?.ready).toBe(true);

    const listed = mailboxListResponseSchema.parse(
      (await api(companion.url, companion.secret)('GET', '/v1/mailboxes')).json,
    );
    expect(listed.mailboxes.find((m) => m.address === ACCOUNTS.support.email)?.lastVerdict).toMatchObject({
      ready: true,
    });
  });

  it('ends with the fix first when SMTP AUTH is disabled for the tenant', async () => {
    await handOverTokens(stack, companion, ACCOUNTS.smtpDisabled.email);
    const { lines } = await streamVerify(companion, ACCOUNTS.smtpDisabled.email, {});
    const last = lines.at(-1)!;
    expect(last.type).toBe('verdict');
    if (last.type !== 'verdict') return;
    expect(last.verdict.ready).toBe(false);
    expect(last.verdict.fixFirst?.diagnosis).toBe('smtp-auth-disabled-tenant');
  });

  it('refuses verify for a mailbox it does not have', async () => {
    const res = await api(companion.url, companion.secret)('POST', mailboxPath('nobody@contoso.test', '/verify'), {});
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });
});

describe('monitoring across an outage (real servers, fast time scale)', () => {
  let parts: StackWithCompanion;
  let stack: MailStack;
  let companion: ChildCompanion;

  beforeAll(async () => {
    parts = await startStackWithCompanion({ companionArgs: ['--time-scale', '0.01', '--check-interval', '100'] });
    ({ stack, companion } = parts);
  });
  afterAll(async () => {
    await parts?.stop();
  });

  it('retries while SMTP is down, reconnects, and reports the mail that arrived meanwhile', async () => {
    const address = ACCOUNTS.support.email;
    const call = api(companion.url, companion.secret);
    const mailbox = async () =>
      mailboxListResponseSchema
        .parse((await call('GET', '/v1/mailboxes')).json)
        .mailboxes.find((m) => m.address === address);
    await handOverTokens(stack, companion, address);
    await waitFor('connected', async () => ((await mailbox())?.status === 'connected' ? true : undefined), 30_000);
    expect((await call('GET', mailboxPath(address, '/outage-report'))).status).toBe(404);

    await stack.smtp.stopServer();
    const down = await waitFor(
      'retrying',
      async () => {
        const m = await mailbox();
        return m?.status === 'retrying' ? m : undefined;
      },
      30_000,
    );
    expect(down.outageSince).not.toBeNull();
    expect(down.lastVerdict?.ready).toBe(false);

    const subject = `Arrived during the outage ${Date.now()}`;
    await stack.imap.deliver(
      address,
      `From: customer@example.test\r\nTo: ${address}\r\nSubject: ${subject}\r\nMessage-ID: ` +
        `<outage-${Date.now()}@example.test>\r\n\r\nHello\r\n`,
    );
    await stack.smtp.startServer();

    const back = await waitFor(
      'reconnected with a report',
      async () => {
        const m = await mailbox();
        return m?.status === 'connected' && m.outageReportAt ? m : undefined;
      },
      30_000,
    );
    expect(back.attempt).toBe(0);
    expect(back.outageSince).toBeNull();
    const res = await call('GET', mailboxPath(address, '/outage-report'));
    expect(res.status).toBe(200);
    const { report } = outageReportResponseSchema.parse(res.json);
    expect(report.received.map((m) => m.subject)).toContain(subject);
    // Sealed like the tokens: neither the subject nor the sender is in the database (files or tables) in clear.
    const raw = await storedBytes(companion.dataDir);
    expect(raw.includes(Buffer.from(subject))).toBe(false);
    expect(raw.includes(Buffer.from('customer@example.test'))).toBe(false);
    expect(Date.parse(report.from)).toBe(Math.floor(Date.parse(down.outageSince!) / 1000) * 1000);
  });
});
