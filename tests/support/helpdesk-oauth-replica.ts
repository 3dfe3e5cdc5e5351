/**
 * A helpdesk replica that runs its OWN OAuth 2.0 authorization-code flow, as Freshdesk's Re-authorize does:
 * Admin > Email lists mailboxes; a row's Re-authorize link goes to the helpdesk's backend, which redirects to
 * the provider's authorize endpoint WITHOUT `prompt` (the request the wrong-account trap lives in), receives
 * the code at its own callback, redeems it with its client secret and keeps whichever account signed in. The
 * edit icon opens the mailbox's settings with "Sign in with Microsoft/Google", which runs the same flow in a
 * popup window that reloads the page and closes. The row is connected only when the mailbox's own account
 * signed in (the helpdesk's mail check fails for any other account).
 *
 * The page records its own click listeners' view of each click, so a test can show our content script
 * changed nothing the page sees.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { ensureTestCerts } from './certs';
import type { IdentityProvider } from '../stack';

export const REPLICA_HOST = 'acme.freshdesk.com';
const CLIENT = { clientId: 'helpdesk-replica-client', clientSecret: 'helpdesk-replica-secret-7a1c' };

export interface ReplicaMailbox {
  address: string;
  provider: 'microsoft' | 'google';
  connected: boolean;
}

export interface HelpdeskSignin {
  mailbox: string;
  account: string;
  provider: 'microsoft' | 'google';
  popup: boolean;
}

export interface HelpdeskReplica {
  port: number;
  url(path: string): string;
  mailboxes: ReplicaMailbox[];
  /** Every code the helpdesk received and redeemed, with the account it was for. */
  signins: HelpdeskSignin[];
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(mailboxes: readonly ReplicaMailbox[]): string {
  const rows = mailboxes
    .map((m, i) => {
      const status = m.connected
        ? '<span class="status-ok">Active</span>'
        : m.provider === 'microsoft'
          ? '<span class="status-error">Your Microsoft Office 365 credentials have expired. Please sign in again</span>'
          : '<span class="status-error">Reauthorization required</span>';
      return `<tr class="email-row" id="row-${i}">
      <td><span class="email">${escape(m.address)}</span></td>
      <td>${m.provider === 'microsoft' ? 'Microsoft Office 365 (OAuth)' : 'Gmail'}</td>
      <td>${status}</td>
      <td><a href="/a/admin/email/${i}/reauthorize" class="reauth-link">Re-authorize</a>
        <button class="icon-btn" data-edit="${i}" aria-label="Edit ${escape(m.address)}"><i class="ficon-edit"></i></button></td>
    </tr>`;
    })
    .join('\n');
  const brand = (m: ReplicaMailbox) => (m.provider === 'microsoft' ? 'Microsoft' : 'Google');
  const editors = mailboxes
    .map(
      (m, i) => `<div class="edit-panel" id="edit-${i}" hidden><h2>Edit ${escape(m.address)}</h2>
      <button type="button" class="oauth-signin" data-signin="${i}">Sign in with ${brand(m)}</button></div>`,
    )
    .join('\n');
  const broken = mailboxes.some((m) => !m.connected);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email | Admin | Acme Support</title></head><body>
<header class="app-header"><span class="logo">Acme Support</span></header>
${broken ? '<div class="banner-wrapper" id="reauth-banner"><span class="banner-text">Please reauthorize your Email settings.</span></div>' : ''}
<h1>Email</h1>
<table class="email-list"><thead><tr><th>Support email</th><th>Mail server</th><th>Status</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table>
${editors}
<script>
  window.__pageClicks = [];
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a, button');
    if (a) window.__pageClicks.push({ what: a.className, defaultPrevented: e.defaultPrevented, phase: e.eventPhase });
  });
  document.querySelectorAll('[data-edit]').forEach(function (b) {
    b.addEventListener('click', function () { document.getElementById('edit-' + b.dataset.edit).hidden = false; });
  });
  document.querySelectorAll('[data-signin]').forEach(function (b) {
    b.addEventListener('click', function () {
      window.open('/a/admin/email/' + b.dataset.signin + '/reauthorize?popup=1', 'reauthorize', 'popup,width=520,height=640');
    });
  });
</script></body></html>`;
}

function authorizeUrl(provider: 'microsoft' | 'google', callback: string, state: string, challenge: string, prompt?: string): string {
  const url =
    provider === 'microsoft'
      ? new URL('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize')
      : new URL('https://accounts.google.com/o/oauth2/v2/auth');
  url.searchParams.set('client_id', CLIENT.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', callback);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (provider === 'microsoft') {
    url.searchParams.set('scope', 'openid email offline_access https://outlook.office.com/IMAP.AccessAsUser.All');
    url.searchParams.set('response_mode', 'query');
  } else {
    // Google returns a refresh token only with its consent screen: helpdesks ask for it.
    url.searchParams.set('scope', 'openid email https://mail.google.com/');
    url.searchParams.set('access_type', 'offline');
    url.searchParams.set('prompt', 'consent');
  }
  if (prompt) url.searchParams.set('prompt', prompt);
  return url.href;
}

function accountOf(idToken: string): string {
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return String(claims.preferred_username ?? claims.email ?? '').toLowerCase();
}

export async function startHelpdeskReplica(idp: IdentityProvider, mailboxes: Array<Omit<ReplicaMailbox, 'connected'>>): Promise<HelpdeskReplica> {
  const { cert, key } = ensureTestCerts();
  const state: ReplicaMailbox[] = mailboxes.map((m) => ({ ...m, connected: false }));
  const signins: HelpdeskSignin[] = [];
  const pending = new Map<string, { index: number | null; provider: 'microsoft' | 'google'; popup: boolean; verifier: string }>();
  let port = 0;
  const callback = () => `https://${REPLICA_HOST}:${port}/a/admin/email/oauth/callback`;

  const server: Server = createServer({ cert, key }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const html = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      if (url.pathname === '/a/admin/email') return html(200, page(state));
      const start = /^\/a\/admin\/email\/(\d+)\/reauthorize$/.exec(url.pathname);
      const session = url.pathname === '/provider-session';
      if (start || session) {
        const index = start ? Number(start[1]) : null;
        const provider = index !== null ? state[index]!.provider : (url.searchParams.get('provider') as 'microsoft' | 'google');
        const verifier = randomBytes(32).toString('base64url');
        const stateId = randomBytes(16).toString('hex');
        pending.set(stateId, { index, provider, popup: url.searchParams.has('popup'), verifier });
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        // Signing in to the provider itself (the browser session the trap reuses): the picker, on purpose.
        const target = authorizeUrl(provider, callback(), stateId, challenge, session ? 'select_account' : undefined);
        return res.writeHead(302, { location: target }).end();
      }
      if (url.pathname === '/a/admin/email/oauth/callback') {
        const flow = pending.get(url.searchParams.get('state') ?? '');
        const code = url.searchParams.get('code');
        if (!flow || !code) return html(400, `<p data-helpdesk="error">${escape(url.searchParams.get('error') ?? 'unknown state')}</p>`);
        pending.delete(url.searchParams.get('state')!);
        const token = flow.provider === 'microsoft' ? idp.urls.microsoft.token('organizations') : idp.urls.google.token;
        const response = await idp.fetch(token, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: callback(),
            client_id: CLIENT.clientId,
            client_secret: CLIENT.clientSecret,
            code_verifier: flow.verifier,
          }).toString(),
        });
        const body = (await response.json()) as { id_token?: string; error?: string };
        if (!body.id_token) return html(502, `<p data-helpdesk="error">${escape(body.error ?? 'no id token')}</p>`);
        const account = accountOf(body.id_token);
        if (flow.index === null) return html(200, `<p data-helpdesk="provider-session">Signed in to the provider as ${escape(account)}</p>`);
        const mailbox = state[flow.index]!;
        signins.push({ mailbox: mailbox.address, account, provider: flow.provider, popup: flow.popup });
        mailbox.connected = account === mailbox.address;
        if (flow.popup) {
          return html(200, '<p>Done.</p><script>if (window.opener) window.opener.location.reload(); window.close();</script>');
        }
        return res.writeHead(302, { location: '/a/admin/email' }).end();
      }
      res.writeHead(404).end('not found');
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  idp.registerClient({ ...CLIENT, redirectUris: [callback()] });
  return {
    port,
    url: (path) => `https://${REPLICA_HOST}:${port}${path}`,
    mailboxes: state,
    signins,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
