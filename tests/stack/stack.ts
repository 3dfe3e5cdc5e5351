/** The whole test world in one call: identity provider, Dovecot (seeded) and SMTP submission delivering into it. */
import { ensureTestCerts } from '../support/certs';
import { ACCOUNTS, ACCOUNT_LIST, CLIENTS } from './accounts';
import type { IdentityProvider, ImapServer, MailStack, MailStackOptions, SmtpServer, StackDescription } from './index';
import { startIdentityProvider } from './idp';
import { startImapServer } from './dovecot';
import { startSmtpServer } from './smtp';

function mailHostMap(imap: ImapServer, smtp: SmtpServer): MailStack['mailHostMap'] {
  const tls = (port: number) => ({ host: '127.0.0.1' as const, port, security: 'tls' as const });
  const starttls = (port: number) => ({ host: '127.0.0.1' as const, port, security: 'starttls' as const });
  return {
    'outlook.office365.com:993': tls(imap.xoauth2OnlyPort),
    'smtp.office365.com:587': starttls(smtp.port),
    'imap.gmail.com:993': tls(imap.port),
    'smtp.gmail.com:465': tls(smtp.tlsPort),
    'smtp.gmail.com:587': starttls(smtp.port),
    'mail.reauth.test:993': tls(imap.port),
    'mail.reauth.test:143': starttls(imap.starttlsPort),
    'mail.reauth.test:465': tls(smtp.tlsPort),
    'mail.reauth.test:587': starttls(smtp.port),
  };
}

export async function startMailStack(options: MailStackOptions = {}): Promise<MailStack> {
  const certs = ensureTestCerts();
  let idp: IdentityProvider | undefined;
  let imap: ImapServer | undefined;
  let smtp: SmtpServer | undefined;
  const stop = async () => {
    await Promise.allSettled([smtp?.stop(), imap?.stop(), idp?.stop()]);
  };
  try {
    idp = await startIdentityProvider(options.idp);
    imap = await startImapServer({ introspection: idp.introspection, seed: options.seed, tuning: options.tuning });
    smtp = await startSmtpServer({ introspection: idp.introspection, lmtpPort: imap.lmtpPort });
  } catch (err) {
    await stop();
    throw err;
  }
  const [i, m, s] = [idp, imap, smtp];
  const describe = (): StackDescription => ({
    idp: { port: i.port, origin: i.origin, hostResolverRules: i.hostResolverRules, introspection: i.introspection.url },
    imap: {
      host: m.host,
      port: m.port,
      starttlsPort: m.starttlsPort,
      xoauth2OnlyPort: m.xoauth2OnlyPort,
      lmtpPort: m.lmtpPort,
    },
    smtp: { host: s.host, port: s.port, tlsPort: s.tlsPort },
    caPath: certs.caCertPath,
    accounts: [...ACCOUNT_LIST],
    clients: { public: CLIENTS.public.clientId, confidential: { ...CLIENTS.confidential } },
  });
  return {
    ca: certs.ca,
    caPath: certs.caCertPath,
    accounts: ACCOUNTS,
    clients: CLIENTS,
    idp: i,
    imap: m,
    smtp: s,
    mailHostMap: mailHostMap(m, s),
    describe,
    stop,
  };
}
