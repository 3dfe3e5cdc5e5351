/**
 * imapflow over a socket this module already opened (see connect.ts), so the lookup, TCP and TLS phases
 * stay visible and the client never connects a second time. STARTTLS (port 143) upgrades through the
 * same verified TLS options.
 */
import type net from 'node:net';
import tls from 'node:tls';
import { ImapFlow, type ImapTransport, type ImapTransportSocket } from 'imapflow';
import type { MailServerEndpoint } from '../../../lib/verification';
import { bounded } from './bounded';
import { connectTcp, resolveEndpoint, startTls, tlsOptions, type ConnectOptions } from './connect';

export interface ImapLogin {
  /** The mailbox to open (IMAP user in the SASL exchange). */
  user: string;
  accessToken: string;
}

/** Hands imapflow the finished socket; reports the STARTTLS upgrade's TLS socket when there is one. */
function handOffTransport(
  socket: net.Socket,
  host: string,
  options: ConnectOptions,
  onUpgraded: (secure: tls.TLSSocket) => void,
): ImapTransport {
  return {
    connect(_opts, onConnect) {
      setImmediate(onConnect);
      return socket as unknown as ImapTransportSocket;
    },
    upgrade(plain, _opts, onSecure) {
      const secure = tls.connect({ ...tlsOptions(host, options), socket: plain as unknown as net.Socket, host }, () => {
        onUpgraded(secure);
        onSecure();
      });
      return secure as unknown as ImapTransportSocket;
    },
  };
}

export function imapClientOver(
  socket: net.Socket,
  server: MailServerEndpoint,
  login: ImapLogin,
  options: ConnectOptions & { timeoutMs: number; onUpgraded?: (secure: tls.TLSSocket) => void },
): ImapFlow {
  return new ImapFlow({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    doSTARTTLS: server.security === 'starttls' ? true : undefined,
    auth: { user: login.user, accessToken: login.accessToken },
    transport: handOffTransport(socket, server.host, options, options.onUpgraded ?? (() => {})),
    logger: false,
    emitLogs: false,
    disableAutoIdle: true,
    // A check reads a few lines: DEFLATE would cost a zlib context per connection and ENABLE a round trip.
    disableCompression: true,
    disableAutoEnable: true,
    greetingTimeout: options.timeoutMs,
    connectionTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs * 2,
    clientInfo: { name: 'Reauth Assist' },
  });
}

/** Closes without waiting on a server that may never answer LOGOUT. */
export function closeQuietly(client: ImapFlow | undefined): void {
  if (!client) return;
  try {
    client.close();
  } catch {
    // already closed
  }
}

/** LOGOUT politely (two seconds at most), then make sure the socket is gone. */
export async function logoutQuietly(client: ImapFlow): Promise<void> {
  await bounded(() => client.logout(), { timeoutMs: 2000 }).catch(() => {});
  closeQuietly(client);
}

/**
 * An authenticated IMAP session in one call, for work that needs no step-by-step report (outage
 * report, folder list). Each phase is bounded; the caller closes the client (closeQuietly / logout).
 */
export async function openImapSession(
  server: MailServerEndpoint,
  login: ImapLogin,
  options: ConnectOptions & { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ImapFlow> {
  const limit = { timeoutMs: options.timeoutMs ?? 15_000, signal: options.signal };
  const endpoint = await bounded(() => resolveEndpoint(server.host, server.port, options), limit);
  let socket: net.Socket = await bounded((s) => connectTcp(endpoint, s), limit);
  if (server.security === 'tls') {
    const plain = socket;
    socket = await bounded((s) => startTls(plain, server.host, options, s), limit);
  }
  const client = imapClientOver(socket, server, login, { ...options, timeoutMs: limit.timeoutMs });
  try {
    await bounded(async (s) => {
      s.addEventListener('abort', () => closeQuietly(client), { once: true });
      await client.connect();
    }, limit);
    return client;
  } catch (err) {
    closeQuietly(client);
    socket.destroy();
    throw err;
  }
}
