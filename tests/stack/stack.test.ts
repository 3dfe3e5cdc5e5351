/**
 * The test stack proves itself with real clients: imapflow and nodemailer against Dovecot and smtp-server,
 * tokens from the real oidc-provider endpoints, and raw IMAP for the exact SASL mechanism.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { createLocalJWKSet, jwtVerify, decodeJwt, type JSONWebKeySet } from 'jose';
import { ACCOUNTS, CLIENTS, EXTENSION_REDIRECT_URI, startMailStack, type MailStack } from './index';
import { SMTP_REPLIES } from './smtp';
import { SEED_MESSAGES } from './seed';

let stack: MailStack;

beforeAll(async () => {
  stack = await startMailStack();
});
afterAll(async () => {
  await stack?.stop();
});

// ------------------------------------------------------------------------------------------- helpers

function imapClient(user: string, accessToken: string, port = stack.imap.port) {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: true,
    auth: { user, accessToken },
    tls: { ca: stack.ca },
    logger: false,
  });
}

/** Log in, open INBOX, return what the mailbox holds (throws imapflow's error on a refused login). */
async function openInbox(user: string, accessToken: string, port?: number) {
  const client = imapClient(user, accessToken, port);
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const exists = client.mailbox ? client.mailbox.exists : 0;
      const subjects: string[] = [];
      for await (const msg of client.fetch('1:*', { envelope: true })) subjects.push(msg.envelope?.subject ?? '');
      const folders = (await client.list()).map((f) => f.specialUse).filter(Boolean);
      return { exists, subjects, folders };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

async function loginError(user: string, accessToken: string, port?: number) {
  const err = await openInbox(user, accessToken, port).then(
    () => undefined,
    (e: unknown) => e as { authenticationFailed?: boolean; responseText?: string },
  );
  if (!err) throw new Error(`IMAP login as ${user} was accepted but should have been refused`);
  return err;
}

/** One raw IMAP AUTHENTICATE with an explicit SASL mechanism (imapflow always prefers OAUTHBEARER). */
function rawAuthenticate(
  mechanism: 'XOAUTH2' | 'OAUTHBEARER',
  user: string,
  token: string,
  port = stack.imap.port,
): Promise<string> {
  const payload =
    mechanism === 'XOAUTH2'
      ? `user=${user}\x01auth=Bearer ${token}\x01\x01`
      : `n,a=${user},\x01host=127.0.0.1\x01port=${port}\x01auth=Bearer ${token}\x01\x01`;
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: stack.ca, servername: 'localhost' });
    let buffer = '';
    let sent = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (!sent && buffer.includes('\r\n')) {
        sent = true;
        socket.write(`a1 AUTHENTICATE ${mechanism} ${Buffer.from(payload).toString('base64')}\r\n`);
        return;
      }
      // A failed SASL exchange sends a "+ <error JSON>" continuation first: answer it as clients must.
      if (/^\+ /m.test(buffer) && !buffer.includes('a1 ')) {
        buffer = buffer.replace(/^\+ .*\r\n/m, '');
        socket.write(mechanism === 'OAUTHBEARER' ? `${Buffer.from('\x01').toString('base64')}\r\n` : '\r\n');
        return;
      }
      const tagged = /^a1 .*$/m.exec(buffer);
      if (tagged) {
        socket.end();
        resolve(tagged[0].trim());
      }
    });
    socket.on('error', reject);
  });
}

function smtpTransport(
  user: string,
  accessToken: string,
  opts: { implicitTls?: boolean; port?: number; timeouts?: number } = {},
) {
  const implicit = opts.implicitTls ?? false;
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: opts.port ?? (implicit ? stack.smtp.tlsPort : stack.smtp.port),
    secure: implicit,
    requireTLS: !implicit,
    tls: { ca: stack.ca, servername: 'localhost' },
    auth: { type: 'OAuth2', user, accessToken },
    ...(opts.timeouts
      ? { connectionTimeout: opts.timeouts, greetingTimeout: opts.timeouts, socketTimeout: opts.timeouts }
      : {}),
  });
}

/** A minimal browser for the authorize endpoint: cookies per host, manual redirects, records what it saw. */
function browser() {
  const cookies = new Map<string, Map<string, string>>();
  const jar = (host: string) => cookies.get(host) ?? cookies.set(host, new Map()).get(host)!;
  async function go(url: string, init: RequestInit = {}) {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    headers.set('cookie', [...jar(u.host)].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await stack.idp.fetch(u, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [k, ...v] = pair!.split('=');
      jar(u.host).set(k!.trim(), v.join('='));
    }
    return res;
  }
  /** Follows redirects until the extension's redirect URI or a page; returns the redirect or the page HTML. */
  async function authorize(url: string): Promise<{ redirect?: URL; page?: string; pages: number }> {
    let next: string = url;
    let init: RequestInit = {};
    let pages = 0;
    for (let hop = 0; hop < 10; hop++) {
      const res = await go(next, init);
      init = {};
      const location = res.headers.get('location');
      if (location) {
        const target = new URL(location, next);
        if (target.href.startsWith(EXTENSION_REDIRECT_URI)) return { redirect: target, pages };
        next = target.href;
        continue;
      }
      pages += 1;
      return { page: await res.text(), pages };
    }
    throw new Error('too many redirects');
  }
  async function pick(pageHtml: string, pageUrlBase: string, account: string) {
    const action = /<form method="post" action="([^"]+)"/.exec(pageHtml)![1]!.replace(/&amp;/g, '&');
    const res = await go(new URL(action, pageUrlBase).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `account=${encodeURIComponent(account)}`,
    });
    return authorize(new URL(res.headers.get('location')!, pageUrlBase).href);
  }
  return { authorize, pick };
}

function microsoftAuthorizeUrl(params: Record<string, string>) {
  const url = new URL(stack.idp.urls.microsoft.authorize('organizations'));
  const all = {
    client_id: CLIENTS.public.clientId,
    response_type: 'code',
    response_mode: 'fragment',
    redirect_uri: EXTENSION_REDIRECT_URI,
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile',
    state: 's1',
    nonce: 'n1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
  return url.href;
}

// ------------------------------------------------------------------------------------------- identity

describe('identity provider', () => {
  it('serves Microsoft v2.0 discovery and keys on the real paths, and id tokens verify against them', async () => {
    const res = await stack.idp.fetch(stack.idp.urls.microsoft.discovery('organizations'));
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as Record<string, string>;
    expect(discovery.issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
    expect(discovery.authorization_endpoint).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(discovery.token_endpoint).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
    expect(discovery.jwks_uri).toBe('https://login.microsoftonline.com/organizations/discovery/v2.0/keys');

    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.support.email });
    const keys = createLocalJWKSet((await (await stack.idp.fetch(discovery.jwks_uri!)).json()) as JSONWebKeySet);
    const { payload } = await jwtVerify(tokens.id_token!, keys, {
      issuer: `https://login.microsoftonline.com/${ACCOUNTS.support.tid}/v2.0`,
      audience: CLIENTS.public.clientId,
    });
    expect(payload).toMatchObject({
      preferred_username: 'support@contoso.test',
      oid: ACCOUNTS.support.oid,
      tid: ACCOUNTS.support.tid,
    });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await stack.idp.fetch(stack.idp.urls.microsoft.discovery('no-such-tenant.example'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^AADSTS90002:/);
  });

  it('issues Google tokens with issuer accounts.google.com and a refresh token for access_type=offline', async () => {
    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.gmail.email });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({
      iss: 'https://accounts.google.com',
      email: ACCOUNTS.gmail.email,
    });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope.split(' ')).toContain('https://mail.google.com/');
  });

  it('refreshes, then gives invalid_grant once the account is revoked', async () => {
    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.generic.email });
    const refreshed = await stack.idp.refresh(tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await stack.idp.introspect(refreshed.access_token)).active).toBe(true);

    await stack.idp.revokeAll(ACCOUNTS.generic.email);
    await expect(stack.idp.refresh(refreshed.refresh_token ?? tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await stack.idp.introspect(refreshed.access_token)).active).toBe(false);
  });

  it('revoking one refresh token (RFC 7009) ends its grant', async () => {
    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.wrongUser.email });
    await stack.idp.revoke(tokens.refresh_token!);
    await expect(stack.idp.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspection is for the mail servers only and counts only access tokens', async () => {
    const tokens = await stack.idp.issueTokens({ account: ACCOUNTS.delegate.email });
    expect(await stack.idp.introspect(tokens.access_token)).toMatchObject({
      active: true,
      username: ACCOUNTS.delegate.email,
    });
    expect((await stack.idp.introspect(tokens.refresh_token!)).active).toBe(false);
    const asPublicClient = await stack.idp.fetch(stack.idp.introspection.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token, client_id: CLIENTS.public.clientId }),
    });
    const answer = (await asPublicClient.json()) as { active?: boolean };
    expect(answer.active).not.toBe(true);
  });

  it('prompt=select_account shows the picker even with a session; no prompt silently reuses the session', async () => {
    const b = browser();
    const first = await b.authorize(microsoftAuthorizeUrl({ prompt: 'select_account' }));
    expect(first.page).toContain('data-testid="account-picker"');
    const signedIn = await b.pick(
      first.page!,
      stack.idp.urls.microsoft.authority('organizations'),
      ACCOUNTS.wrongUser.email,
    );
    expect(new URLSearchParams(signedIn.redirect!.hash.slice(1)).get('code')).toBeTruthy();
    expect(new URLSearchParams(signedIn.redirect!.hash.slice(1)).has('iss')).toBe(false);

    const silent = await b.authorize(microsoftAuthorizeUrl({ prompt: '', state: 's2' }));
    expect(silent.page).toBeUndefined();
    expect(new URLSearchParams(silent.redirect!.hash.slice(1)).get('code')).toBeTruthy();

    const again = await b.authorize(microsoftAuthorizeUrl({ prompt: 'select_account', state: 's3' }));
    expect(again.page).toContain('data-testid="account-picker"');
  });

  it('records every authorize request as sent and pre-selects the login_hint account', async () => {
    stack.idp.clearAuthorizeRequests();
    const b = browser();
    const url = new URL(stack.idp.urls.google.authorize);
    for (const [k, v] of Object.entries({
      client_id: CLIENTS.public.clientId,
      response_type: 'code',
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: 'openid email https://mail.google.com/',
      state: 'g1',
      nonce: 'gn1',
      prompt: 'select_account',
      login_hint: ACCOUNTS.gmailWrong.email,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    const shown = await b.authorize(url.href);
    expect(shown.page).toMatch(new RegExp(`data-account="${ACCOUNTS.gmailWrong.email}" data-hinted="true"`));
    expect(shown.page).not.toMatch(new RegExp(`data-account="${ACCOUNTS.gmail.email}" data-hinted`));
    const [record] = stack.idp.authorizeRequests();
    expect(record).toMatchObject({
      provider: 'google',
      host: 'accounts.google.com',
      query: {
        prompt: 'select_account',
        login_hint: ACCOUNTS.gmailWrong.email,
        code_challenge_method: 'S256',
        nonce: 'gn1',
        state: 'g1',
      },
    });
  });

  it('requires PKCE', async () => {
    const b = browser();
    const result = await b.authorize(
      microsoftAuthorizeUrl({ code_challenge: '', code_challenge_method: '', prompt: 'select_account' }),
    );
    const answer = new URLSearchParams(result.redirect?.hash.slice(1) ?? '');
    expect(answer.get('error')).toBe('invalid_request');
    expect(answer.get('error_description')).toMatch(/PKCE/);
  });

  it('returns consent errors to the redirect URI on demand, and admin consent clears them', async () => {
    try {
      stack.idp.setAuthorizeError('consent_required');
      await expect(stack.idp.issueTokens({ account: ACCOUNTS.support.email })).rejects.toMatchObject({
        error: 'consent_required',
        error_description: expect.stringMatching(/^AADSTS65001: /),
      });
      stack.idp.setAuthorizeError('admin_consent_required');
      await expect(stack.idp.issueTokens({ account: ACCOUNTS.support.email })).rejects.toMatchObject({
        error_description: expect.stringMatching(/^AADSTS90094: /),
      });

      const consentUrl = new URL(stack.idp.urls.microsoft.adminConsent(ACCOUNTS.support.tid!));
      consentUrl.searchParams.set('client_id', CLIENTS.public.clientId);
      consentUrl.searchParams.set('redirect_uri', EXTENSION_REDIRECT_URI);
      const accept = await stack.idp.fetch(consentUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'accept=1',
        redirect: 'manual',
      });
      expect(new URL(accept.headers.get('location')!).searchParams.get('admin_consent')).toBe('True');
      expect(stack.idp.adminConsents()).toHaveLength(1);
      await expect(stack.idp.issueTokens({ account: ACCOUNTS.support.email })).resolves.toHaveProperty('access_token');
    } finally {
      stack.idp.setAuthorizeError(null);
    }
  });
});

// ------------------------------------------------------------------------------------------- IMAP

describe('Dovecot IMAP with OAuth tokens', () => {
  it(
    'a valid token logs in over OAUTHBEARER and XOAUTH2, and the mailbox holds the seeded mail and special-use ' +
      'folders',
    async () => {
      const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.support.email });
      expect(await rawAuthenticate('OAUTHBEARER', ACCOUNTS.support.email, access_token)).toMatch(/^a1 OK/);
      expect(await rawAuthenticate('XOAUTH2', ACCOUNTS.support.email, access_token)).toMatch(/^a1 OK/);
      const inbox = await openInbox(ACCOUNTS.support.email, access_token);
      expect(inbox.subjects).toEqual(SEED_MESSAGES.map((m) => m.subject));
      expect(inbox.folders).toEqual(
        expect.arrayContaining(['\\Inbox', '\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive']),
      );
    },
  );

  it('the Microsoft-like instance offers XOAUTH2 only', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.support.email });
    expect(
      await rawAuthenticate('OAUTHBEARER', ACCOUNTS.support.email, access_token, stack.imap.xoauth2OnlyPort),
    ).toMatch(/^a1 (NO|BAD)/);
    expect(await rawAuthenticate('XOAUTH2', ACCOUNTS.support.email, access_token, stack.imap.xoauth2OnlyPort)).toMatch(
      /^a1 OK/,
    );
    expect((await openInbox(ACCOUNTS.support.email, access_token, stack.imap.xoauth2OnlyPort)).exists).toBeGreaterThan(
      0,
    );
  });

  it('the STARTTLS port works after STARTTLS', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.gmail.email });
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: stack.imap.starttlsPort,
      secure: false,
      doSTARTTLS: true,
      auth: { user: ACCOUNTS.gmail.email, accessToken: access_token },
      tls: { ca: stack.ca, servername: 'localhost' },
      logger: false,
    });
    await client.connect();
    expect(client.authenticated).toBeTruthy();
    await client.logout();
  });

  it('refuses garbage, other-user, missing-scope, revoked and expired tokens', async () => {
    expect((await loginError(ACCOUNTS.support.email, 'not-a-token')).authenticationFailed).toBe(true);
    const other = await stack.idp.issueTokens({ account: ACCOUNTS.wrongUser.email });
    expect((await loginError(ACCOUNTS.support.email, other.access_token)).authenticationFailed).toBe(true);
    const smtpOnly = await stack.idp.issueTokens({
      account: ACCOUNTS.support.email,
      scope: 'https://outlook.office.com/SMTP.Send openid',
    });
    expect((await loginError(ACCOUNTS.support.email, smtpOnly.access_token)).authenticationFailed).toBe(true);

    const revoked = await stack.idp.issueTokens({ account: ACCOUNTS.personal.email });
    expect((await openInbox(ACCOUNTS.personal.email, revoked.access_token)).exists).toBeGreaterThan(0);
    await stack.idp.revoke(revoked.refresh_token!);
    expect((await loginError(ACCOUNTS.personal.email, revoked.access_token)).authenticationFailed).toBe(true);

    const shortLived = await stack.idp.issueTokens({ account: ACCOUNTS.otherTenant.email, accessTokenTtl: 1 });
    expect(shortLived.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await loginError(ACCOUNTS.otherTenant.email, shortLived.access_token)).authenticationFailed).toBe(true);
  });

  it('refuses a valid token for a mailbox with IMAP disabled (as Exchange does)', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.imapDisabled.email });
    expect((await stack.idp.introspect(access_token)).active).toBe(true);
    const err = await loginError(ACCOUNTS.imapDisabled.email, access_token);
    expect(err.authenticationFailed).toBe(true);
  });

  it("a delegate's token opens the shared mailbox", async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.delegate.email });
    expect((await openInbox(ACCOUNTS.shared.email, access_token)).exists).toBeGreaterThan(0);
  });

  it('can be stopped (connection refused) and started again on the same ports', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.gmail.email });
    await stack.imap.stopServer();
    await expect(openInbox(ACCOUNTS.gmail.email, access_token)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await stack.imap.startServer();
    expect((await openInbox(ACCOUNTS.gmail.email, access_token)).exists).toBeGreaterThan(0);
  });
});

// ------------------------------------------------------------------------------------------- SMTP

describe('SMTP submission with XOAUTH2', () => {
  it('accepts a valid token on STARTTLS and implicit TLS, and mail sent to self lands in INBOX', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.gmail.email });
    await expect(smtpTransport(ACCOUNTS.gmail.email, access_token).verify()).resolves.toBe(true);
    const subject = `Round trip ${Date.now()}`;
    const info = await smtpTransport(ACCOUNTS.gmail.email, access_token, { implicitTls: true }).sendMail({
      from: ACCOUNTS.gmail.email,
      to: ACCOUNTS.gmail.email,
      subject,
      text: 'hello me',
    });
    expect(info.accepted).toEqual([ACCOUNTS.gmail.email]);
    expect(stack.smtp.received().at(-1)).toMatchObject({ user: ACCOUNTS.gmail.email, to: [ACCOUNTS.gmail.email] });
    expect((await openInbox(ACCOUNTS.gmail.email, access_token)).subjects).toContain(subject);
  });

  it('answers 535 5.7.139 word for word when SMTP AUTH is disabled', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.smtpDisabled.email });
    await expect(smtpTransport(ACCOUNTS.smtpDisabled.email, access_token).verify()).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
      response: `535 ${SMTP_REPLIES.authDisabled}`,
    });
    stack.smtp.setAuthBehaviour(ACCOUNTS.smtpDisabled.email, 'ok');
    try {
      await expect(smtpTransport(ACCOUNTS.smtpDisabled.email, access_token).verify()).resolves.toBe(true);
    } finally {
      stack.smtp.setAuthBehaviour(ACCOUNTS.smtpDisabled.email, 'smtp-auth-disabled');
    }
  });

  it('a shared mailbox gets 535 5.7.3; the delegate authenticates and sends as the shared address', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.delegate.email });
    await expect(smtpTransport(ACCOUNTS.shared.email, access_token).verify()).rejects.toMatchObject({
      responseCode: 535,
      response: '535 5.7.3 Authentication unsuccessful',
    });
    const info = await smtpTransport(ACCOUNTS.delegate.email, access_token).sendMail({
      from: ACCOUNTS.shared.email,
      to: ACCOUNTS.support.email,
      subject: 'From the shared mailbox',
      text: 'x',
    });
    expect(info.accepted).toEqual([ACCOUNTS.support.email]);
    await expect(
      smtpTransport(ACCOUNTS.delegate.email, access_token).sendMail({
        from: ACCOUNTS.support.email,
        to: ACCOUNTS.support.email,
        subject: 'spoof',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 554, response: expect.stringContaining('5.2.252 SendAsDenied') });
  });

  it('refuses an invalid token (Microsoft: 535 5.7.3; Google: XOAUTH2 challenge then 535)', async () => {
    await expect(smtpTransport(ACCOUNTS.support.email, 'garbage').verify()).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
      response: '535 5.7.3 Authentication unsuccessful',
    });
    await expect(smtpTransport(ACCOUNTS.gmail.email, 'garbage').verify()).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
    });
    const imapOnly = await stack.idp.issueTokens({
      account: ACCOUNTS.support.email,
      scope: 'https://outlook.office.com/IMAP.AccessAsUser.All openid',
    });
    await expect(smtpTransport(ACCOUNTS.support.email, imapOnly.access_token).verify()).rejects.toMatchObject({
      responseCode: 535,
    });
  });

  it('fault switches: down, slow (client timeout), flapping (fails N times, then works)', async () => {
    const { access_token } = await stack.idp.issueTokens({ account: ACCOUNTS.generic.email });
    await stack.smtp.stopServer();
    await expect(smtpTransport(ACCOUNTS.generic.email, access_token).verify()).rejects.toMatchObject({
      code: 'ESOCKET',
    });
    await stack.smtp.startServer();
    await expect(smtpTransport(ACCOUNTS.generic.email, access_token).verify()).resolves.toBe(true);

    try {
      stack.smtp.setFault({ kind: 'slow', delayMs: 1500 });
      const slow = smtpTransport(ACCOUNTS.generic.email, access_token, { timeouts: 300 });
      await expect(slow.verify()).rejects.toMatchObject({ code: 'ETIMEDOUT' });

      stack.smtp.setFault({ kind: 'flapping', failures: 2 });
      for (let i = 0; i < 2; i++) {
        await expect(smtpTransport(ACCOUNTS.generic.email, access_token).verify()).rejects.toMatchObject({
          responseCode: 421,
        });
      }
      await expect(smtpTransport(ACCOUNTS.generic.email, access_token).verify()).resolves.toBe(true);
    } finally {
      stack.smtp.setFault(null);
    }
  });
});

// ------------------------------------------------------------------------------------------- tuned for volume

describe('Dovecot tuned for volume (the scale benchmark only)', () => {
  it('reuses its processes yet asks the provider about every sign-in: a revoked token is refused at once', async () => {
    // The shared stack keeps Dovecot's defaults (one process per connection).
    expect(readFileSync(join(stack.imap.dir, 'imap.conf'), 'utf8')).not.toMatch(/service_count/);
    const tuned = await startMailStack({ tuning: { reuseProcesses: true } });
    try {
      for (const file of ['imap.conf', 'xoauth2only.conf']) {
        const conf = readFileSync(join(tuned.imap.dir, file), 'utf8');
        // The login service's block ends with its listeners' blocks, then chroot and the tuning.
        expect(conf).toMatch(/service imap-login \{[\s\S]*?chroot =\n {2}service_count = 0\n/);
        expect(conf).toMatch(/service imap \{[^}]*service_count = 1000/);
        expect(conf).not.toMatch(/auth_cache/);
      }
      const set = await tuned.idp.issueTokens({ account: ACCOUNTS.personal.email });
      for (let i = 0; i < 3; i++) {
        expect((await openInbox(ACCOUNTS.personal.email, set.access_token, tuned.imap.port)).exists).toBeGreaterThan(0);
      }
      await tuned.idp.revoke(set.refresh_token!);
      const refused = await loginError(ACCOUNTS.personal.email, set.access_token, tuned.imap.port);
      expect(refused.authenticationFailed).toBe(true);
    } finally {
      await tuned.stop();
    }
  });
});
