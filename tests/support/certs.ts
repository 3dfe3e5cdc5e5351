/**
 * A throwaway certificate authority and one server certificate for every host name the tests serve on
 * loopback (helpdesk replicas, the identity provider under the real providers' names, the mail servers).
 * Made with Debian's openssl at setup, kept under the OS temp dir, reused while it is valid.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(join(dir, 'server.crt'))) {
    // Made in a private folder and renamed into place, so processes starting at once never read a half-made pair.
    const staging = mkdtempSync(`${dir}-staging-`);
    makeCerts(staging);
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race: use its pair
    }
  }
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caCertPath: join(dir, 'ca.crt'),
    certPath: join(dir, 'server.crt'),
    keyPath: join(dir, 'server.key'),
    ca: read('ca.crt'),
    cert: read('server.crt'),
    key: read('server.key'),
  };
}

function makeCerts(dir: string): void {
  const at = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=Reauth Assist Test CA',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
  );
  const san = [...TEST_HOSTS.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(at('server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  ssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    at('server.ext'),
    '-out',
    at('server.crt'),
  );
}
