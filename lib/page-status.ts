/**
 * A helpdesk screen's own status or error text ("javax.mail.AuthenticationFailedException: AUTHENTICATE
 * failed.", "java.net.ConnectException: Connection refused", "Authentication failed" in a mail account
 * list) explained through the diagnosis catalogue, the same way the companion's own checks are.
 *
 * Pages show words, not error objects: the words a Java mail client (SupportCenter Plus), a .NET one or a
 * PHP one prints are turned into the error fields diagnose() reads (a Node-style code, the server's reply,
 * authenticationFailed). Runs in the worker (the catalogue stays out of the content script's bundle).
 */
import { anyOf } from './any-of';
import { diagnose, explain, type DiagnosisContext, type Explanation } from './diagnosis';
import type { ProviderId } from './providers';
import { AUTH_WORDS, BAD_WORDS as BAD, OK_WORDS as OK } from './status-words';
import type { StepId } from './verification';

export { isStatusText } from './status-words';

export type Direction = 'incoming' | 'outgoing';

export interface PageStatusContext {
  direction?: Direction;
  host?: string;
  port?: number;
  mailbox?: string;
  provider?: ProviderId;
}

export type PageStatusOutcome = { kind: 'ok' } | { kind: 'problem'; explanation: Explanation };

/** Words that mean a transport error, as the code Node would have given it. */
const CODES: ReadonlyArray<[RegExp, string]> = [
  [/connection\s+refused|ECONNREFUSED|ConnectException(?!.*timed?\s*out)/i, 'ECONNREFUSED'],
  [
    anyOf([
      /UnknownHostException|ENOTFOUND|could\s+not\s+resolve|unknown\s+host/,
      /name\s+or\s+service\s+not\s+known|no\s+such\s+host/,
    ]),
    'ENOTFOUND',
  ],
  [/certificate\s+(?:has\s+)?expired|CertificateExpiredException|NotAfter/i, 'CERT_HAS_EXPIRED'],
  [
    anyOf([
      /No\s+subject\s+alternative\s+(?:DNS\s+)?name|hostname.*(?:mismatch|does\s+not\s+match)/,
      /doesn't\s+match\s+any\s+of\s+the\s+subject/,
    ]),
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ],
  [
    anyOf([
      /PKIX\s+path|unable\s+to\s+find\s+valid\s+certification\s+path|self[- ]signed|untrusted\s+certificate/,
      /certificate\s+(?:is\s+)?not\s+trusted|unable\s+to\s+verify/,
    ]),
    'SELF_SIGNED_CERT_IN_CHAIN',
  ],
  [/Unrecognized\s+SSL\s+message|wrong\s+version\s+number|plaintext\s+connection/i, 'ERR_SSL_WRONG_VERSION_NUMBER'],
  [/SSLHandshakeException|handshake\s+fail|SSL\s+error|TLS\s+error/i, 'EPROTO'],
  [/timed?\s*out|SocketTimeoutException|ETIMEDOUT|timeout/i, 'ETIMEDOUT'],
  [/connection\s+reset|ECONNRESET|connection\s+(?:was\s+)?closed|broken\s+pipe|EOF/i, 'ECONNRESET'],
];
const SMTP_WORDS = /\bsmtp\b|\b5\.\d\.\d{1,3}\b|\b535\b|\bsend(?:ing)?\b|\boutgoing\b|SendFailedException|Transport/i;

/** The check step the page's words are about: sign-in or connection, IMAP or SMTP. */
export function stepOf(text: string, direction?: Direction): StepId {
  const smtp = direction === 'outgoing' || (direction === undefined && SMTP_WORDS.test(text));
  const code = CODES.find(([re]) => re.test(text))?.[1];
  if (AUTH_WORDS.test(text) && (code === undefined || code === 'ECONNRESET')) return smtp ? 'smtp-auth' : 'imap-auth';
  return smtp ? 'smtp-connect' : 'tcp';
}

export function explainPageStatus(text: string, ctx: PageStatusContext = {}): PageStatusOutcome {
  const words = text.replace(/\s+/g, ' ').trim();
  if (OK.test(words) && !BAD.test(words.replace(OK, '')) && !AUTH_WORDS.test(words)) return { kind: 'ok' };
  const step = stepOf(words, ctx.direction);
  const code = CODES.find(([re]) => re.test(words))?.[1];
  const smtp = step === 'smtp-auth' || step === 'smtp-connect';
  const port = ctx.port ?? (smtp ? 587 : 993);
  // The page shows a port, not a security mode: the port's own convention (993/465/995 start encrypted).
  const security = port === 993 || port === 465 || port === 995 ? ('tls' as const) : ('starttls' as const);
  const endpoint = ctx.host ? { host: ctx.host, port, security } : undefined;
  const dctx: DiagnosisContext = {
    ...(ctx.mailbox ? { address: ctx.mailbox } : {}),
    ...(ctx.provider ? { provider: ctx.provider } : {}),
    ...(endpoint ? (smtp ? { smtp: endpoint } : { imap: endpoint }) : {}),
  };
  const reply = words.slice(0, 1000);
  const error = {
    message: reply,
    response: reply,
    ...(code ? { code } : {}),
    ...(AUTH_WORDS.test(words) ? { authenticationFailed: true } : {}),
    ...(smtp && /\b535\b/.test(words) ? { responseCode: 535, code: 'EAUTH' } : {}),
  };
  const id = diagnose(step, error, dctx);
  return { kind: 'problem', explanation: explain(id, step, dctx) };
}
