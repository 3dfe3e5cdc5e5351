/** The account picker page (the interaction step): one button per account, the hinted one marked and focused. */
import type { ProviderKind, StackAccount } from '../accounts';

const TITLES: Record<ProviderKind, { brand: string; heading: string }> = {
  microsoft: { brand: 'Microsoft', heading: 'Pick an account' },
  google: { brand: 'Google', heading: 'Choose an account' },
  generic: { brand: 'Reauth Test IdP', heading: 'Choose an account' },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function pickerPage(opts: {
  provider: ProviderKind;
  action: string;
  accounts: StackAccount[];
  loginHint?: string;
  clientId: string;
}): string {
  const { brand, heading } = TITLES[opts.provider];
  const hint = opts.loginHint?.trim().toLowerCase();
  const buttons = opts.accounts
    .map((a) => {
      const hinted = a.email === hint;
      return (
        `<li><button type="submit" name="account" value="${escapeHtml(a.email)}" ` +
        `data-account="${escapeHtml(a.email)}"${hinted ? ' data-hinted="true" autofocus' : ''}>
      <span class="name">${escapeHtml(a.name)}</span><span class="email">${escapeHtml(a.email)}</span></button></li>`
      );
    })
    .join('\n');
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account - ${escapeHtml(brand)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;padding:32px 40px;width:380px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
ul{list-style:none;padding:0;margin:16px 0}
li button{display:flex;flex-direction:column;align-items:flex-start;width:100%;padding:12px;border:0;` +
    `border-bottom:1px solid #ddd;background:none;cursor:pointer;text-align:left}
li button:hover,li button:focus,li button[data-hinted]{background:#e6f0fa}
.email{color:#555;font-size:.9em}
.brand{font-weight:600;color:#444}
</style></head>
<body><main data-testid="account-picker" data-provider="${opts.provider}">
<div class="brand">${escapeHtml(brand)}</div>
<h1>${heading}</h1>
<p>to continue to <span data-testid="client-id">${escapeHtml(opts.clientId)}</span></p>
<form method="post" action="${escapeHtml(opts.action)}">
<ul>${buttons}</ul>
${opts.accounts.length === 0 ? '<p data-testid="no-accounts">No account can sign in here.</p>' : ''}
<button type="submit" name="cancel" value="1" data-action="cancel" formnovalidate>Cancel</button>
</form></main></body></html>`
  );
}

export function messagePage(title: string, text: string, testId: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main ` +
    `data-testid="${escapeHtml(testId)}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>`
  );
}

export function adminConsentPage(action: string, clientId: string, tenant: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Permissions requested</title></head>
<body><main data-testid="admin-consent"><h1>Permissions requested</h1>
<p>Accept for your organization: app <b>${escapeHtml(clientId)}</b> in tenant <b>${escapeHtml(tenant)}</b> wants to
read and send mail as users (IMAP.AccessAsUser.All, SMTP.Send).</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit" name="accept" value="1" ` +
    `data-action="accept">Accept</button>
<button type="submit" name="accept" value="0" data-action="cancel">Cancel</button></form></main></body></html>`
  );
}
