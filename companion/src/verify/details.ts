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

/** What the server said about an error, in its own words where there are some. */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as Record<string, unknown>;
  const lines: string[] = [];
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
  return lines.join('\n');
}

export function clip(text: string): string {
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS)}\n[...]` : text;
}
