/**
 * The "details" behind each step: the server's own words, cleaned of anything secret. Error objects from
 * imapflow and nodemailer carry the reply text; a SASL payload (base64 of "user=...auth=Bearer <token>")
 * could appear in a transcript, so both the token and any base64 run that decodes to a bearer payload
 * are cut out.
 */
const MAX_DETAILS = 4000;

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join('[token]');
  }
  return out.replace(/[A-Za-z0-9+/]{32,}={0,2}/g, (run) => {
    const decoded = Buffer.from(run, 'base64').toString('latin1');
    return /auth=Bearer|Bearer /i.test(decoded) || secrets.some((s) => s.length >= 8 && decoded.includes(s)) ? '[sasl payload]' : run;
  });
}

/** The first line of an answer each protocol can give: `* OK`, `A1 NO`, `+ ` (IMAP); `220 `, `535-` (SMTP). */
const PROTOCOL_REPLY: Readonly<Record<'IMAP' | 'SMTP', RegExp>> = {
  IMAP: /^(\*|\+|[A-Za-z0-9.]{1,20}) /,
  SMTP: /^\d{3}(?:[ -]|$)/,
};

/**
 * A reply that is not the protocol's (an SSH or HTTP banner on the port) is never repeated: the details would
 * turn the companion into a port scanner that reads back whatever answers on an internal host.
 */
function hideForeignReply(lines: string[], reply: unknown, protocol: 'IMAP' | 'SMTP'): string[] {
  if (typeof reply !== 'string' || reply.trim() === '' || PROTOCOL_REPLY[protocol].test(reply.trim())) return lines;
  const placeholder = `[an answer that is not ${protocol}, not shown]`;
  return lines.map((line) => line.split(reply.trim()).join(placeholder));
}

/** What the server said about an error, in its own words where there are some. */
export function describeError(error: unknown, protocol?: 'IMAP' | 'SMTP'): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as Record<string, unknown>;
  let lines: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '' || value === false) return;
    lines.push(`${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  };
  add('Error', e.message);
  add('Code', e.code);
  add('Original code', e.originalCode);
  add('Server reply', e.responseText ?? e.response);
  add('Server response code', e.serverResponseCode);
  add('Server OAuth error', e.oauthError);
  add('Certificate names', e.presentedNames);
  add('Command', e.command);
  if (protocol) lines = hideForeignReply(lines, e.responseText ?? e.response, protocol);
  return lines.join('\n');
}

export function clip(text: string): string {
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS)}\n[...]` : text;
}
