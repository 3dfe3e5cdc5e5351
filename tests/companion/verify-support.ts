/**
 * Shared setup for the verification tests: the real stack (tests/stack), resolve rules that send the
 * production mail host names to its ports (as the companion's --resolve does), and targets with fresh
 * tokens from the real identity provider.
 */
import type { ResolveRule } from '../../companion/src/outbound';
import type { StepResult, VerifyTarget } from '../../lib/verification';
import type { MailStack } from '../stack';

export function resolveRulesFor(stack: MailStack, extra: ResolveRule[] = []): ResolveRule[] {
  const rules = Object.entries(stack.mailHostMap).map(([hostPort, to]) => {
    const [host, port] = hostPort.split(':');
    return { host: host!, port: Number(port), address: to.host, targetPort: to.port };
  });
  return [...extra, ...rules];
}

export const MICROSOFT_SERVERS = {
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
} as const satisfies Pick<VerifyTarget, 'imap' | 'smtp'>;

export async function microsoftTarget(
  stack: MailStack,
  account: string,
  overrides: Partial<VerifyTarget> & { mailbox?: string; ttl?: number } = {},
): Promise<VerifyTarget> {
  const { mailbox, ttl, ...rest } = overrides;
  const tokens = await stack.idp.issueTokens({ account, ...(ttl ? { accessTokenTtl: ttl } : {}) });
  return {
    address: mailbox ?? account,
    ...MICROSOFT_SERVERS,
    provider: 'microsoft',
    auth: { user: account, accessToken: tokens.access_token, expiresAt: Date.now() + tokens.expires_in * 1000 },
    ...rest,
  };
}

/** Records the streamed steps; `final(id)` is the last event of a step. */
export function stepRecorder() {
  const events: StepResult[] = [];
  return {
    events,
    onStep: (s: StepResult) => events.push(s),
    final: (id: StepResult['id']) => [...events].reverse().find((e) => e.id === id),
  };
}

/**
 * A certificate for `host` that expired in 2020, signed by the test CA (openssl ca with explicit dates),
 * served by a bare TLS listener that greets like an IMAP server. Only the TLS step meets it.
 */
export async function startExpiredCertServer(host: string): Promise<{ port: number; close(): Promise<void> }> {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const tls = await import('node:tls');
  const { ensureTestCerts } = await import('../support/certs');
  const certs = ensureTestCerts();
  const dir = mkdtempSync(join(tmpdir(), 'reauth-expired-'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ext'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = d',
      '[d]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = p',
      '[p]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const ssl = (...a: string[]) => execFileSync('openssl', a, { stdio: ['ignore', 'ignore', 'pipe'] });
  ssl(
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${host}`,
    '-keyout',
    join(dir, 'key'),
    '-out',
    join(dir, 'csr'),
  );
  ssl(
    'ca',
    '-batch',
    '-config',
    join(dir, 'ca.cnf'),
    '-cert',
    certs.caCertPath,
    '-keyfile',
    join(certs.dir, 'ca.key'),
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-extfile',
    join(dir, 'ext'),
    '-in',
    join(dir, 'csr'),
    '-out',
    join(dir, 'crt'),
    '-notext',
  );
  const server = tls.createServer(
    { key: readFileSync(join(dir, 'key')), cert: readFileSync(join(dir, 'crt')) },
    (s) => {
      s.on('error', () => {});
      s.end('* OK IMAP ready\r\n');
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          r();
        }),
      ),
  };
}
