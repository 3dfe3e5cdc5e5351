/**
 * SMTP submission for the tests (npm smtp-server): STARTTLS port (like 587) and implicit TLS port (like 465),
 * AUTH XOAUTH2 validated through the test provider's introspection endpoint, accepted mail delivered into Dovecot
 * over LMTP. Per-user Microsoft replies (SMTP AUTH disabled, shared mailbox) and fault switches for tests.
 */
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import nodemailer from 'nodemailer';
import { ensureTestCerts } from '../support/certs';
import { MICROSOFT_SMTP, replyText } from '../support/provider-replies';
import { ACCOUNT_LIST, accountByEmail } from './accounts';
import type {
  IntrospectionResult,
  ReceivedMessage,
  SmtpAuthBehaviour,
  SmtpFault,
  SmtpServer,
  SmtpServerOptions,
} from './index';
import { freePorts } from './ports';
import { loopbackRequester } from './idp/loopback-http';

/** Microsoft's words as published (tests/support/provider-replies.ts), as nodemailer and the companion receive them. */
export const SMTP_REPLIES = {
  authDisabled: replyText(MICROSOFT_SMTP.authDisabledForTenant),
  microsoftRejected: replyText(MICROSOFT_SMTP.authenticationUnsuccessful),
  sendAsDenied: (user: string, from: string) =>
    `5.2.252 SendAsDenied; ${user} not allowed to send as ${from}; ` +
    `STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied`,
  unavailable: '4.3.2 Service not available, closing transmission channel',
} as const;

const SEND_SCOPES = ['https://outlook.office.com/SMTP.Send', 'https://mail.google.com/', 'smtp'];

function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSmtpServer(options: SmtpServerOptions): Promise<SmtpServer> {
  const certs = ensureTestCerts();
  const introspectionUrl = new URL(options.introspection.url);
  const request = loopbackRequester(Number(introspectionUrl.port), certs.ca, []);
  const basic =
    `Basic ` +
    `${Buffer.from(`${options.introspection.clientId}:${options.introspection.clientSecret}`).toString('base64')}`;
  const behaviours = new Map<string, SmtpAuthBehaviour>(ACCOUNT_LIST.map((a) => [a.email, a.smtpAuth ?? 'ok']));
  const received: ReceivedMessage[] = [];
  let fault: SmtpFault = null;
  let failuresLeft = 0;

  const introspect = async (token: string): Promise<IntrospectionResult> => {
    const res = await request(introspectionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ token }).toString(),
    });
    if (res.status !== 200)
      throw smtpError(454, `4.7.0 Temporary authentication failure (introspection HTTP ${res.status})`);
    return JSON.parse(res.body) as IntrospectionResult;
  };

  const slow = async () => {
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault?.kind === 'slow' ? fault.delayMs : 0));
  };

  const onAuth = (
    auth: SMTPServerAuthentication,
    _session: SMTPServerSession,
    done: (err: Error | null | undefined, res?: { user?: string; data?: object }) => void,
  ) => {
    void (async () => {
      await slow();
      if (auth.method !== 'XOAUTH2' || !auth.accessToken)
        return done(smtpError(504, '5.7.4 Unrecognized authentication type'));
      const user = String(auth.username ?? '').toLowerCase();
      const account = accountByEmail(user);
      const info = await introspect(auth.accessToken);
      const scopes = new Set(String(info.scope ?? '').split(' '));
      const valid = info.active === true && info.username === user && SEND_SCOPES.some((s) => scopes.has(s));
      if (!valid) {
        // Microsoft answers a bad token with one line; Google (and the generic server) with the XOAUTH2 JSON challenge.
        if (!account || account.provider === 'microsoft') return done(smtpError(535, SMTP_REPLIES.microsoftRejected));
        return done(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
      }
      const behaviour = behaviours.get(user) ?? 'ok';
      if (behaviour === 'smtp-auth-disabled') return done(smtpError(535, SMTP_REPLIES.authDisabled));
      if (behaviour === 'shared-mailbox') return done(smtpError(535, SMTP_REPLIES.microsoftRejected));
      done(null, { user });
    })().catch((err: Error) =>
      done(Object.assign(err, { responseCode: (err as { responseCode?: number }).responseCode ?? 454 })),
    );
  };

  const deliverLocally = async (from: string, to: string[], raw: Buffer) => {
    const local = to.filter((r) => accountByEmail(r)?.mailbox);
    if (!options.lmtpPort || local.length === 0) return;
    const lmtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: options.lmtpPort,
      lmtp: true,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await lmtp.sendMail({ envelope: { from, to: local }, raw });
    } finally {
      lmtp.close();
    }
  };

  const makeServer = (secure: boolean) => {
    const server = new SMTPServer({
      secure,
      key: certs.key,
      cert: certs.cert,
      name: 'smtp.reauth.test',
      banner: 'Reauth Assist test SMTP submission',
      authMethods: ['XOAUTH2'],
      allowInsecureAuth: false,
      size: 10 * 1024 * 1024,
      closeTimeout: 200,
      logger: false,
      onConnect(_session, done) {
        void (async () => {
          await slow();
          if (fault?.kind === 'flapping' && failuresLeft > 0) {
            failuresLeft -= 1;
            return done(smtpError(421, SMTP_REPLIES.unavailable));
          }
          done();
        })();
      },
      onAuth,
      onMailFrom(address, session, done) {
        const user = String(session.user ?? '');
        const from = address.address.toLowerCase();
        const allowed = from === user || (accountByEmail(user)?.delegateOf ?? []).includes(from);
        if (!allowed) return done(smtpError(554, SMTP_REPLIES.sendAsDenied(user, from)));
        done();
      },
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void (async () => {
            await slow();
            const raw = Buffer.concat(chunks);
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
            received.push({ user: String(session.user ?? ''), from, to, raw: raw.toString('utf8'), at: new Date() });
            await deliverLocally(from, to, raw);
            done();
          })().catch((err: Error) => done(smtpError(451, `4.3.0 Delivery to the test mailbox failed: ${err.message}`)));
        });
      },
    });
    // Without an error listener a bare TCP connect to the TLS port crashed the process (shared notes).
    server.on('error', () => {});
    return server;
  };

  const [port, tlsPort] = await freePorts(2);
  let servers: SMTPServer[] = [];
  const startServer = async () => {
    if (servers.length) return;
    const plain = makeServer(false);
    const tls = makeServer(true);
    await Promise.all([
      new Promise<void>((resolve, reject) => {
        plain.server.once('error', reject);
        plain.listen(port!, '127.0.0.1', () => resolve());
      }),
      new Promise<void>((resolve, reject) => {
        tls.server.once('error', reject);
        tls.listen(tlsPort!, '127.0.0.1', () => resolve());
      }),
    ]);
    servers = [plain, tls];
  };
  const stopServer = async () => {
    const closing = servers;
    servers = [];
    await Promise.all(closing.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  await startServer();

  return {
    host: '127.0.0.1',
    port: port!,
    tlsPort: tlsPort!,
    setAuthBehaviour(user, behaviour) {
      behaviours.set(user.toLowerCase(), behaviour);
    },
    setFault(next) {
      fault = next;
      failuresLeft = next?.kind === 'flapping' ? next.failures : 0;
    },
    stopServer,
    startServer,
    received: () => [...received],
    stop: stopServer,
  };
}
