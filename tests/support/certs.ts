/**
 * A throwaway certificate authority and one server certificate for every host name the tests serve on
 * loopback (helpdesk replicas, the identity provider under the real providers' names, the mail servers).
 * Made with Debian's openssl at setup, kept under the OS temp dir, reused while it is valid.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_HOSTS = [
  'localhost',
  '*.freshdesk.com',
  'support.acme-helpdesk.test',
  '*.acme-helpdesk.test',
  'helpdesk.example.test',
  'login.microsoftonline.com',
  'accounts.google.com',
  'oauth2.googleapis.com',
  'openidconnect.googleapis.com',
  'www.googleapis.com',
  'idp.reauth.test',
  'outlook.office365.com',
  'smtp.office365.com',
  'imap.gmail.com',
  'smtp.gmail.com',
  'mail.reauth.test',
] as const;

export interface TestCerts {
  dir: string;
  caCertPath: string;
  certPath: string;
  keyPath: string;
  ca: string;
  cert: string;
  key: string;
}

const VERSION = 'v2';

export function ensureTestCerts(dir = join(tmpdir(), `reauth-assist-certs-${VERSION}`)): TestCerts {
  const paths = {
    caKeyPath: join(dir, 'ca.key'),
    caCertPath: join(dir, 'ca.crt'),
    keyPath: join(dir, 'server.key'),
    csrPath: join(dir, 'server.csr'),
    certPath: join(dir, 'server.crt'),
    extPath: join(dir, 'server.ext'),
  };
  if (!existsSync(paths.certPath)) {
    mkdirSync(dir, { recursive: true });
    const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Reauth Assist Test CA',
      '-keyout', paths.caKeyPath, '-out', paths.caCertPath);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', paths.keyPath, '-out', paths.csrPath);
    const san = [...TEST_HOSTS.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
    writeFileSync(paths.extPath, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    ssl('x509', '-req', '-in', paths.csrPath, '-CA', paths.caCertPath, '-CAkey', paths.caKeyPath,
      '-CAcreateserial', '-days', '30', '-extfile', paths.extPath, '-out', paths.certPath);
  }
  return {
    dir,
    caCertPath: paths.caCertPath,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    ca: readFileSync(paths.caCertPath, 'utf8'),
    cert: readFileSync(paths.certPath, 'utf8'),
    key: readFileSync(paths.keyPath, 'utf8'),
  };
}
