/**
 * Opening a mail server connection one visible phase at a time (name lookup, TCP, TLS), so each phase
 * can be shown and diagnosed on its own. The protocol clients (imapflow, nodemailer) then take over the
 * finished socket instead of connecting again.
 *
 * Certificates are always verified against the system roots plus an optional extra CA (a company CA, the
 * test CA); there is deliberately no way to turn verification off.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import type { ResolveRule } from '../outbound';
import type { TargetPolicy } from '../target-policy';

export interface ConnectOptions {
  /** curl-style overrides: connect to `address:targetPort` when asked for `host:port` (TLS still checks `host`). */
  resolve?: readonly ResolveRule[];
  /** PEM of an extra trusted certificate authority. */
  extraCaPem?: string;
  /** Which addresses may be reached (team mode refuses internal ones); checked on the address connected to. */
  targets?: TargetPolicy;
}

export interface ResolvedEndpoint {
  host: string;
  port: number;
  address: string;
  targetPort: number;
  /** How it was resolved, for the details toggle. */
  via: 'dns' | 'rule' | 'literal';
}

export async function resolveEndpoint(host: string, port: number, options: ConnectOptions): Promise<ResolvedEndpoint> {
  const rule = options.resolve?.find((r) => r.host === host.toLowerCase() && r.port === port);
  if (rule) return { host, port, address: rule.address, targetPort: rule.targetPort, via: 'rule' };
  if (net.isIP(host)) {
    options.targets?.check(host, host);
    return { host, port, address: host, targetPort: port, via: 'literal' };
  }
  const found = await lookup(host);
  // Checked on the very address the connection goes to, so a name that changes its answer gains nothing.
  options.targets?.check(host, found.address);
  return { host, port, address: found.address, targetPort: port, via: 'dns' };
}

/**
 * Between our phase and the protocol client attaching its own listeners an error must not go unheard
 * (an 'error' without listeners kills the process); the client reports what follows.
 */
function handOver(socket: net.Socket, phaseListener: (err: Error) => void): void {
  socket.removeListener('error', phaseListener);
  socket.on('error', ignoreAfterHandOver);
}
function ignoreAfterHandOver(): void {}

/** Destroys the socket when the signal fires, so a pending phase settles at once. */
function destroyOnAbort(socket: net.Socket, signal: AbortSignal): () => void {
  const onAbort = () => socket.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

export function connectTcp(endpoint: ResolvedEndpoint, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.address, port: endpoint.targetPort });
    const release = destroyOnAbort(socket, signal);
    const onError = (err: Error) => {
      release();
      reject(err);
    };
    socket.once('connect', () => {
      release();
      handOver(socket, onError);
      resolve(socket);
    });
    // `on`, not `once`: a failed handshake can emit a second error (ECONNRESET) that must not go unheard.
    socket.on('error', onError);
  });
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** DNS names the certificate is made out for. */
  altNames: string[];
  protocol: string | null;
  cipher: string;
}

function describeName(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

export function summarizeCertificate(socket: tls.TLSSocket): CertificateSummary {
  const cert = socket.getPeerCertificate();
  return {
    subject: describeName(cert.subject),
    issuer: describeName(cert.issuer),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    altNames: (cert.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().standardName ?? socket.getCipher().name,
  };
}

export function formatCertificate(c: CertificateSummary): string {
  return [
    `Subject: ${c.subject}`,
    `Issuer: ${c.issuer}`,
    `Valid: ${c.validFrom} to ${c.validTo}`,
    `Names: ${c.altNames.join(', ')}`,
    `Protocol: ${c.protocol ?? '?'} ${c.cipher}`,
  ].join('\n');
}

/**
 * One secure context per trust setting, shared by every connection: building one parses the whole root
 * store again (tens of milliseconds and a few MB of native memory each), which would dominate a run over
 * hundreds of mailboxes.
 */
const secureContexts = new Map<string, tls.SecureContext>();

function secureContextFor(extraCaPem: string | undefined): tls.SecureContext {
  const key = extraCaPem ?? '';
  let context = secureContexts.get(key);
  if (!context) {
    context = tls.createSecureContext({
      minVersion: 'TLSv1.2',
      ...(extraCaPem ? { ca: [...tls.rootCertificates, extraCaPem] } : {}),
    });
    secureContexts.set(key, context);
  }
  return context;
}

export function tlsOptions(host: string, options: ConnectOptions): tls.ConnectionOptions {
  return {
    servername: net.isIP(host) ? undefined : host,
    secureContext: secureContextFor(options.extraCaPem),
  };
}

/**
 * TLS over an open TCP socket. On a certificate failure the error says why (CERT_HAS_EXPIRED,
 * ERR_TLS_CERT_ALTNAME_INVALID, ...) and, for a name mismatch, carries the names the certificate has.
 */
export function startTls(socket: net.Socket, host: string, options: ConnectOptions, signal: AbortSignal): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    let presented: string | undefined;
    const secure = tls.connect({
      ...tlsOptions(host, options),
      socket,
      host,
      checkServerIdentity: (name, cert) => {
        presented = cert.subjectaltname;
        return tls.checkServerIdentity(name, cert);
      },
    });
    const release = destroyOnAbort(secure, signal);
    const onError = (err: Error & { presentedNames?: string }) => {
      release();
      socket.destroy();
      if (presented) err.presentedNames = presented;
      reject(err);
    };
    secure.once('secureConnect', () => {
      release();
      handOver(secure, onError);
      resolve(secure);
    });
    secure.on('error', onError);
  });
}
