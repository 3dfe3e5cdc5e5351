/**
 * nodemailer's SMTPConnection over a socket this module opened (see connect.ts): greeting, EHLO and the
 * STARTTLS upgrade (587) or nothing more (465, already TLS), then AUTH XOAUTH2 with a token the companion
 * already holds. Promisified, abortable, always closable.
 */
import type net from 'node:net';
import tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { MailServerEndpoint } from '../../../lib/verification';
import { tlsOptions, type ConnectOptions } from './connect';

export interface SmtpSession {
  connection: SMTPConnection;
  /** The certificate checked during STARTTLS (implicit TLS reports it in its own phase). */
  upgradeCertificate?: tls.PeerCertificate;
}

export function smtpConnect(
  socket: net.Socket,
  server: MailServerEndpoint,
  options: ConnectOptions & { timeoutMs: number },
  signal: AbortSignal,
): Promise<SmtpSession> {
  const session: Partial<SmtpSession> = {};
  const connection = new SMTPConnection({
    connection: socket,
    secured: server.security === 'tls',
    host: server.host,
    port: server.port,
    requireTLS: server.security === 'starttls',
    name: 'reauth-assist.local',
    tls: {
      ...tlsOptions(server.host, options),
      checkServerIdentity: (name, cert) => {
        session.upgradeCertificate = cert;
        return tls.checkServerIdentity(name, cert);
      },
    },
    greetingTimeout: options.timeoutMs,
    connectionTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs * 2,
    logger: false,
  });
  session.connection = connection;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      connection.close();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // Errors after connect are answered through the callbacks of login/send; this keeps the emitter quiet.
    connection.on('error', reject);
    connection.connect((err?: Error | null) => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(session as SmtpSession);
    });
  });
}

export function smtpLogin(
  connection: SMTPConnection,
  user: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<void> {
  // Provisioning the same token on nodemailer's automatic retry makes it report the server's own reply.
  const oauth2 = new XOAuth2({ user, accessToken, provisionCallback: (_u, _renew, cb) => cb(null, accessToken) });
  return withAbort(connection, signal, (done) => connection.login({ user, oauth2 }, (err) => done(err)));
}

export function smtpSend(
  connection: SMTPConnection,
  envelope: { from: string; to: string[] },
  raw: string,
  signal: AbortSignal,
): Promise<string> {
  return withAbort(connection, signal, (done) =>
    connection.send(envelope, raw, (err, info) => done(err, info?.response ?? '')),
  );
}

function withAbort<T = void>(
  connection: SMTPConnection,
  signal: AbortSignal,
  start: (done: (err: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      connection.close();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    start((err, value) => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(value as T);
    });
  });
}

/** QUIT politely, but never wait on a server that does not answer. */
export function smtpClose(connection: SMTPConnection | undefined): void {
  if (!connection) return;
  try {
    connection.quit();
  } catch {
    // already closed
  }
  setTimeout(() => connection.close(), 1000).unref();
}
