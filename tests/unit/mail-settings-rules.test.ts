/**
 * The mail server form rules (SupportCenter Plus Incoming / Outgoing): each rule fires on the situation the
 * seed and the providers describe, names the field and the fix, and stays quiet on a correct form.
 */
import { describe, expect, it } from 'vitest';
import {
  checkMailSettings,
  cloudProviderOf,
  formProvider,
  hostOf,
  providerFill,
  registrationSteps,
  type MailSettingsForm,
} from '../../entrypoints/helpdesk.content/forms/mail-settings-rules';

const IMAP_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access';

function incoming(patch: Partial<MailSettingsForm> = {}): MailSettingsForm {
  return {
    direction: 'incoming',
    protocol: 'IMAPS',
    authType: 'oauth',
    server: 'outlook.office365.com',
    port: 993,
    username: 'support@contoso.com',
    emails: ['support@contoso.com'],
    clientId: 'c1',
    authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    scope: IMAP_SCOPE,
    redirectUrl: 'https://helpdesk.contoso.com/OAuthRedirect.do',
    tls: null,
    ...patch,
  };
}

function outgoing(patch: Partial<MailSettingsForm> = {}): MailSettingsForm {
  return incoming({
    direction: 'outgoing',
    protocol: 'SMTP',
    server: 'smtp.office365.com',
    port: 587,
    tls: true,
    scope: 'https://outlook.office.com/SMTP.Send offline_access',
    ...patch,
  });
}

const rules = (form: MailSettingsForm) => checkMailSettings(form).map((f) => `${f.field}:${f.rule}`);

describe('checkMailSettings', () => {
  it('finds nothing wrong with a correct Microsoft 365 incoming and outgoing form', () => {
    expect(rules(incoming())).toEqual([]);
    expect(rules(outgoing())).toEqual([]);
  });

  it('Basic authentication on Microsoft 365 and Gmail servers, not on a company server', () => {
    expect(rules(incoming({ authType: 'basic' }))).toEqual(['authType:basic-auth-cloud']);
    const gmail = checkMailSettings(incoming({ authType: 'basic', server: 'imap.gmail.com' }));
    expect(gmail[0]).toMatchObject({ field: 'authType', rule: 'basic-auth-cloud' });
    expect(gmail[0]!.problem).toContain('Gmail');
    expect(gmail[0]!.fix).toContain('OAuth');
    expect(rules(incoming({ authType: 'basic', server: 'mail.contoso.com', scope: '' }))).toEqual([]);
    // EWS: the server is the Connect URL's host.
    expect(
      rules(
        incoming({
          authType: 'basic',
          protocol: 'EWS',
          server: 'https://outlook.office365.com/EWS/Exchange.asmx',
          port: null,
        }),
      ),
    ).toEqual(['authType:basic-auth-cloud']);
  });

  it('OAuth over anything but IMAPS for incoming mail', () => {
    for (const protocol of ['POP', 'IMAP', 'POPS'] as const) {
      const port = { POP: 110, IMAP: 143, POPS: 995 }[protocol];
      const found = checkMailSettings(incoming({ protocol, port, scope: IMAP_SCOPE }));
      expect(
        found.map((f) => f.rule),
        protocol,
      ).toContain('oauth-needs-imaps');
      expect(found.find((f) => f.rule === 'oauth-needs-imaps')!.fix).toContain('IMAPS');
    }
    expect(
      rules(incoming({ protocol: 'EWS', port: null, scope: 'https://outlook.office365.com/EWS.AccessAsUser.All' })),
    ).toEqual([]);
  });

  it('a port that does not match the protocol', () => {
    expect(rules(incoming({ port: 995 }))).toEqual(['port:port-mismatch']);
    expect(checkMailSettings(incoming({ port: 143 }))[0]!.fix).toContain('993');
    expect(rules(outgoing({ server: 'smtp.contoso.com', protocol: 'SMTPS', port: 587 }))).toEqual([
      'port:port-mismatch',
    ]);
    expect(rules(outgoing({ server: 'smtp.contoso.com', protocol: 'SMTP', port: 25 }))).toEqual([]);
  });

  it('a Microsoft outgoing server on 465: smtp.office365.com 587 with TLS (not a plain port mismatch)', () => {
    for (const protocol of ['SMTP', 'SMTPS'] as const) {
      const found = checkMailSettings(outgoing({ protocol, port: 465 }));
      expect(
        found.map((f) => `${f.field}:${f.rule}`),
        protocol,
      ).toEqual(['port:microsoft-smtp-465']);
      expect(found[0]!.fix).toBe('Use smtp.office365.com, port 587, with TLS on (Protocol SMTP).');
    }
    expect(rules(outgoing({ tls: false }))).toEqual(['tls:microsoft-smtp-tls']);
    // Gmail answers on 465.
    expect(
      rules(
        outgoing({
          server: 'smtp.gmail.com',
          protocol: 'SMTPS',
          port: 465,
          scope: 'https://mail.google.com/',
          authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
          tokenUrl: 'https://oauth2.googleapis.com/token',
        }),
      ),
    ).toEqual([]);
  });

  it('scopes that do not fit the protocol: EWS scope on IMAPS, IMAP scope on EWS, IMAP scope on SMTP', () => {
    const ewsOnImap = checkMailSettings(
      incoming({ scope: 'https://outlook.office365.com/EWS.AccessAsUser.All offline_access' }),
    );
    expect(ewsOnImap.map((f) => `${f.field}:${f.rule}`)).toEqual(['scope:scope-protocol-mismatch']);
    expect(ewsOnImap[0]!.problem).toContain('EWS');
    expect(ewsOnImap[0]!.fix).toBe(`Use ${IMAP_SCOPE}.`);

    const imapOnEws = checkMailSettings(incoming({ protocol: 'EWS', port: null }));
    expect(imapOnEws[0]).toMatchObject({ field: 'scope', rule: 'scope-protocol-mismatch' });
    expect(imapOnEws[0]!.fix).toBe('Use https://outlook.office365.com/EWS.AccessAsUser.All offline_access.');

    expect(rules(outgoing({ scope: IMAP_SCOPE }))).toEqual(['scope:scope-protocol-mismatch']);
    expect(rules(incoming({ scope: `${IMAP_SCOPE} https://graph.microsoft.com/Mail.Read` }))).toEqual([
      'scope:scope-mixed-resources',
    ]);
    // The outlook.office365.com spelling of the IMAP scope is the same permission.
    expect(rules(incoming({ scope: 'https://outlook.office365.com/IMAP.AccessAsUser.All offline_access' }))).toEqual(
      [],
    );
  });

  it('authorize and token URLs of one provider with the scope of another', () => {
    const googleScope = checkMailSettings(incoming({ scope: 'https://mail.google.com/' }));
    expect(googleScope.map((f) => `${f.field}:${f.rule}`)).toEqual(['scope:provider-mismatch']);
    expect(googleScope[0]!.problem).toBe(
      "The Authorize and Access Token URLs are Microsoft 365's, the scope is Google (Gmail)'s.",
    );

    expect(rules(incoming({ tokenUrl: 'https://oauth2.googleapis.com/token' }))).toEqual([
      'tokenUrl:provider-mismatch',
    ]);
    expect(rules(incoming({ server: 'imap.gmail.com', scope: 'https://mail.google.com/' }))).toEqual([
      'scope:provider-mismatch',
    ]);
    expect(rules(incoming({ server: 'imap.gmail.com' }))).toEqual(['authorizeUrl:provider-mismatch']);
  });

  it('gives at most one finding per field', () => {
    const found = checkMailSettings(incoming({ protocol: 'POP', port: 993, scope: 'https://mail.google.com/' }));
    const fields = found.map((f) => f.field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields).toEqual(['protocol', 'port', 'scope']);
  });
});

describe('providerFill', () => {
  it('Microsoft for the protocol, tenant or organizations; Google from the provider catalogue', () => {
    expect(providerFill('microsoft', { direction: 'incoming', protocol: 'IMAPS' })).toEqual({
      authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
      scope: IMAP_SCOPE,
    });
    const tenant = providerFill('microsoft', { direction: 'outgoing', protocol: 'SMTP' }, 'contoso.onmicrosoft.com');
    expect(tenant.authorizeUrl).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
    expect(tenant.scope).toBe('https://outlook.office.com/SMTP.Send offline_access');
    expect(providerFill('microsoft', { direction: 'incoming', protocol: 'EWS' }).scope).toBe(
      'https://outlook.office365.com/EWS.AccessAsUser.All offline_access',
    );
    // A tenant that is not one falls back to organizations rather than building a broken URL.
    expect(providerFill('microsoft', { direction: 'incoming', protocol: 'IMAPS' }, 'a/b?c').authorizeUrl).toContain(
      '/organizations/',
    );
    expect(providerFill('google', { direction: 'incoming', protocol: 'IMAPS' })).toEqual({
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      scope: 'https://mail.google.com/',
    });
  });

  it('a filled form passes every rule', () => {
    for (const [form, provider] of [
      [incoming({ authorizeUrl: '', tokenUrl: '', scope: '' }), 'microsoft'],
      [outgoing({ authorizeUrl: '', tokenUrl: '', scope: '' }), 'microsoft'],
      [incoming({ server: 'imap.gmail.com', authorizeUrl: '', tokenUrl: '', scope: '' }), 'google'],
    ] as const) {
      expect(rules({ ...form, ...providerFill(provider, form) })).toEqual([]);
    }
  });

  it("registration steps carry the page's Redirect URL and the permission for the protocol", () => {
    const ms = registrationSteps('microsoft', 'https://helpdesk.contoso.com/OAuthRedirect.do', 'IMAPS');
    expect(ms.join('\n')).toContain('platform "Web", value https://helpdesk.contoso.com/OAuthRedirect.do');
    expect(ms.join('\n')).toContain('IMAP.AccessAsUser.All');
    expect(registrationSteps('microsoft', 'x', 'EWS').join('\n')).toContain(
      'Office 365 Exchange Online > Delegated permissions > EWS.AccessAsUser.All',
    );
    expect(registrationSteps('google', 'https://h/r', null).join('\n')).toContain(
      'Authorized redirect URIs > Add URI: https://h/r',
    );
  });
});

describe('reading values', () => {
  it('hosts and providers from names, host:port and URLs', () => {
    expect(hostOf(' Outlook.Office365.com:993 ')).toBe('outlook.office365.com');
    expect(hostOf('https://outlook.office365.com/EWS/Exchange.asmx')).toBe('outlook.office365.com');
    expect(cloudProviderOf('smtp.office365.com')).toBe('microsoft');
    expect(cloudProviderOf('imap.gmail.com')).toBe('google');
    expect(cloudProviderOf('mail.contoso.com')).toBeNull();
    expect(cloudProviderOf('evil-office365.com')).toBeNull();
    expect(
      formProvider(incoming({ server: '', authorizeUrl: '', tokenUrl: '', scope: 'https://mail.google.com/' })),
    ).toBe('google');
  });
});

describe('Basic authentication over a protocol that starts in plain text', () => {
  it('IMAP on 143 and POP on 110 with a password are marked on the protocol; IMAPS and OAuth are not', async () => {
    const { checkMailSettings } = await import('../../entrypoints/helpdesk.content/forms/mail-settings-rules');
    const base = {
      direction: 'incoming' as const,
      authType: 'basic' as const,
      server: 'mail.contoso.test',
      username: '',
      emails: [],
      clientId: '',
      authorizeUrl: '',
      tokenUrl: '',
      scope: '',
      redirectUrl: '',
      tls: null,
    };
    expect(checkMailSettings({ ...base, protocol: 'IMAP', port: 143 }).map((f) => `${f.field}:${f.rule}`)).toEqual([
      'protocol:basic-unencrypted',
    ]);
    expect(checkMailSettings({ ...base, protocol: 'POP', port: 110 })[0]?.fix).toBe('Choose POPS (port 995).');
    expect(checkMailSettings({ ...base, protocol: 'IMAPS', port: 993 })).toEqual([]);
    expect(
      checkMailSettings({ ...base, protocol: 'IMAP', port: 143, server: 'outlook.office365.com' }).map((f) => f.rule),
    ).toEqual(['basic-auth-cloud', 'basic-unencrypted']);
  });
});
