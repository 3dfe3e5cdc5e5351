import { describe, expect, it } from 'vitest';
import {
  classifyMailbox,
  controlFor,
  detectProvider,
  hasStatusWords,
  isSignalText,
  type RowControls,
} from '../../entrypoints/helpdesk.content/classify';

const none: RowControls = { reauthorizeLink: false, signInWithMicrosoft: false, editIcon: false };
const withControls = (c: Partial<RowControls>): RowControls => ({ ...none, ...c });

function classify(texts: string[], controls: Partial<RowControls> = {}, address?: string) {
  return classifyMailbox({ texts, controls: withControls(controls), address });
}

describe('Scenario 1: Microsoft 365 still on Basic authentication', () => {
  it('a Microsoft Office 365 mailbox on Basic auth with a Re-authorize link', () => {
    expect(
      classify(['Microsoft Office 365', 'Basic authentication', 'Reauthorization required'], {
        reauthorizeLink: true,
        editIcon: true,
      }),
    ).toEqual({
      state: 'needs-reauth',
      scenario: 'microsoft-basic-auth',
      provider: 'microsoft',
      control: 'reauthorize-link',
      statusText: 'Reauthorization required',
    });
  });

  it("only the Re-authorize link next to a Microsoft Office 365 address (the seeds' step 2), no status words", () => {
    const c = classify(['Microsoft Office 365', 'Re-authorize'], { reauthorizeLink: true });
    expect(c).toMatchObject({
      state: 'needs-reauth',
      scenario: 'microsoft-basic-auth',
      control: 'reauthorize-link',
      statusText: 'Re-authorize',
    });
  });

  it('"Basic" as the auth column wins over a Microsoft expiry wording', () => {
    expect(classify(['Microsoft 365', 'Basic', 'Disconnected'])).toMatchObject({ scenario: 'microsoft-basic-auth' });
  });

  it('falls back to Sign in with Microsoft, then the edit icon, when there is no Re-authorize link', () => {
    expect(
      classify(['Office 365', 'Basic Auth', 'Reauthorization required'], { signInWithMicrosoft: true }),
    ).toMatchObject({
      scenario: 'microsoft-basic-auth',
      control: 'sign-in-with-microsoft',
    });
    expect(classify(['Office 365', 'Basic Auth', 'Reauthorization required'], { editIcon: true })).toMatchObject({
      control: 'edit-icon',
    });
  });

  it(
    'a Microsoft mailbox with no auth hint and "Reauthorization ' + 'required" reads as the Basic -> OAuth migration',
    () => {
      expect(classify(['Microsoft Office 365', 'Reauthorization required'])).toMatchObject({
        scenario: 'microsoft-basic-auth',
      });
    },
  );
});

describe('Scenario 2: Gmail or Other, password expired or changed', () => {
  it.each([
    [['Gmail', 'Reauthorization required']],
    [['Other', 'Reauthorization required']],
    [['Google Workspace', 'Reauthorization Required']],
    [['IMAP', 'Password expired']],
    [['Other', 'Authentication failed']],
  ])('%j', (texts) => {
    expect(classify(texts, { reauthorizeLink: true })).toMatchObject({
      state: 'needs-reauth',
      scenario: 'password-expired',
      control: 'reauthorize-link',
    });
  });

  it('no Re-authorize link: the pencil (edit) icon is the control', () => {
    expect(classify(['Gmail', 'Reauthorization required'], { editIcon: true })).toMatchObject({
      scenario: 'password-expired',
      control: 'edit-icon',
    });
  });

  it('no control at all: still needs reauthorization, nothing to highlight', () => {
    expect(classify(['Gmail', 'Reauthorization required'])).toMatchObject({
      scenario: 'password-expired',
      control: null,
    });
  });

  it('the provider comes from the address when the row does not name it', () => {
    expect(classify(['Reauthorization required'], {}, 'desk@gmail.com')).toMatchObject({
      scenario: 'password-expired',
      provider: 'google',
    });
  });

  it('provider not shown at all: "Reauthorization required" is the seeds\' Case 2 wording', () => {
    expect(classify(['Reauthorization required'])).toMatchObject({ scenario: 'password-expired', provider: undefined });
  });

  it('a Gmail mailbox whose sync stopped after the retries ("Disconnected")', () => {
    expect(classify(['Gmail', 'Disconnected'])).toMatchObject({ scenario: 'password-expired' });
  });
});

describe('Scenario 3: Microsoft 365 OAuth expired', () => {
  it("the seeds' exact message", () => {
    expect(
      classify(['Microsoft Office 365', 'Your Microsoft Office 365 credentials have expired. Please sign in again'], {
        editIcon: true,
      }),
    ).toEqual({
      state: 'needs-reauth',
      scenario: 'microsoft-oauth-expired',
      provider: 'microsoft',
      control: 'edit-icon',
      statusText: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
    });
  });

  it('the message alone names the provider', () => {
    expect(classify(['Your Microsoft Office 365 credentials have expired. Please sign in again'])).toMatchObject({
      scenario: 'microsoft-oauth-expired',
      provider: 'microsoft',
    });
  });

  it('prefers the Sign in with Microsoft button when the row shows it', () => {
    expect(
      classify(['Your Microsoft Office 365 credentials have expired. Please sign in again', 'Sign in with Microsoft'], {
        signInWithMicrosoft: true,
        editIcon: true,
      }),
    ).toMatchObject({ control: 'sign-in-with-microsoft' });
  });

  it('outgoing only "Unexpected error" (incoming still active) is an expired token', () => {
    const c = classify(['Microsoft Office 365 (OAuth)', 'Incoming: Active', 'Outgoing: Unexpected error'], {
      editIcon: true,
    });
    expect(c).toMatchObject({
      state: 'needs-reauth',
      scenario: 'microsoft-oauth-expired',
      control: 'edit-icon',
      statusText: 'Outgoing: Unexpected error',
    });
  });

  it('"Unexpected error" with the provider not shown still reads as Scenario 3', () => {
    expect(classify(['Outgoing', 'Unexpected error'])).toMatchObject({ scenario: 'microsoft-oauth-expired' });
  });

  it('"Disconnected" after the automatic retries', () => {
    expect(classify(['Microsoft Office 365', 'OAuth', 'Disconnected'])).toMatchObject({
      scenario: 'microsoft-oauth-expired',
    });
    expect(classify(['Disconnected'])).toMatchObject({ scenario: 'microsoft-oauth-expired' });
  });

  it('an OAuth Microsoft mailbox that says "Reauthorization required"', () => {
    expect(classify(['Microsoft Office 365 (OAuth)', 'Reauthorization required'], { editIcon: true })).toMatchObject({
      scenario: 'microsoft-oauth-expired',
      control: 'edit-icon',
    });
  });

  it('personal outlook.com / hotmail.com accounts are Microsoft by their domain', () => {
    expect(classify(['Unexpected error'], {}, 'desk@hotmail.com')).toMatchObject({
      provider: 'microsoft',
      scenario: 'microsoft-oauth-expired',
    });
    expect(detectProvider([], 'helpdesk@outlook.com')).toBe('microsoft');
  });

  it('the Sign in with Microsoft button alone marks a Microsoft row (but is not a provider statement)', () => {
    expect(
      classify(['Reauthorization required', 'Sign in with Microsoft'], { signInWithMicrosoft: true }),
    ).toMatchObject({
      scenario: 'microsoft-basic-auth',
      provider: undefined,
      control: 'sign-in-with-microsoft',
    });
    expect(detectProvider(['Gmail', 'Sign in with Microsoft'])).toBe('google');
  });
});

describe('connected mailboxes', () => {
  it.each(['Active', 'Connected', 'Verified', 'Authorized', 'Status: active', 'Incoming: Active · Outgoing: Active'])(
    '%s',
    (status) => {
      expect(classify(['Gmail', status])).toEqual({ state: 'connected', provider: 'google', statusText: status });
    },
  );

  it('an explicit "Active" wins over a Re-authorize link the helpdesk always shows', () => {
    expect(classify(['Gmail', 'Active', 'Re-authorize'], { reauthorizeLink: true })).toMatchObject({
      state: 'connected',
    });
  });

  it('a problem anywhere in the row wins over "Active" elsewhere in it', () => {
    expect(classify(['Other', 'Incoming: Active', 'Outgoing: Reauthorization required'])).toMatchObject({
      state: 'needs-reauth',
    });
  });

  it.each(['Inactive', 'Unverified', 'Not active', 'Not verified'])('"%s" is not read as connected', (status) => {
    expect(classify([status])).toBeNull();
  });

  it.each(['Not connected', 'Unauthorized', 'Not authorized'])('"%s" needs reauthorization', (status) => {
    expect(classify([status])).toMatchObject({ state: 'needs-reauth' });
  });
});

describe('rows we do not understand are left alone', () => {
  it('no status at all', () => {
    expect(classify(['billing@acme.com', 'Microsoft Office 365'], { editIcon: true })).toBeNull();
    expect(classify([])).toBeNull();
  });
});

describe('status and signal words (what detectors collect)', () => {
  it.each([
    'Reauthorization required',
    'Your Microsoft Office 365 credentials have expired. Please sign in again',
    'Unexpected error',
    'Disconnected',
    'Active',
    'Connected',
    'Verified',
    'Re-authorize',
  ])('"%s" is a status', (t) => expect(hasStatusWords(t)).toBe(true));

  it.each(['Support email', 'billing@acme.com', 'Inactive', 'Jane Agent'])('"%s" is not a status', (t) =>
    expect(hasStatusWords(t)).toBe(false),
  );

  it.each(['Microsoft Office 365', 'Gmail', 'Other', 'Basic', 'OAuth', 'Primary', 'Outgoing'])(
    '"%s" is a signal',
    (t) => expect(isSignalText(t)).toBe(true),
  );

  it('long statusText is cut to the report schema limit', () => {
    const c = classify([`Reauthorization required ${'x'.repeat(600)}`]);
    expect(c?.statusText.length).toBe(500);
  });
});

describe('controlFor', () => {
  it("follows each scenario's steps", () => {
    const all = withControls({ reauthorizeLink: true, signInWithMicrosoft: true, editIcon: true });
    expect(controlFor('microsoft-basic-auth', all)).toBe('reauthorize-link');
    expect(controlFor('password-expired', all)).toBe('reauthorize-link');
    expect(controlFor('microsoft-oauth-expired', all)).toBe('sign-in-with-microsoft');
    expect(controlFor('password-expired', withControls({ signInWithMicrosoft: true }))).toBeNull();
  });
});

describe("other helpdesks' words for the same states", () => {
  it.each([
    [['Gmail', 'Access revoked'], 'password-expired'],
    [['Gmail', 'Token has been revoked'], 'password-expired'],
    [['Other (IMAP)', 'AUTHENTICATE failed'], 'password-expired'],
    [['Other', 'Login error'], 'password-expired'],
    [['Microsoft 365', 'OAuth', 'Token expired'], 'microsoft-oauth-expired'],
    [['Outlook', 'Expired'], 'microsoft-oauth-expired'],
    [['Microsoft 365', 'invalid_grant'], 'microsoft-oauth-expired'],
    [['Office 365', 'Outgoing: Authentication unsuccessful', 'OAuth'], 'microsoft-oauth-expired'],
    [['Office 365', 'Basic authentication', 'Action required'], 'microsoft-basic-auth'],
    [['Exchange', 'Sync failed'], 'microsoft-oauth-expired'],
    [['Fetching stopped'], 'microsoft-oauth-expired'],
    [['Needs attention'], 'password-expired'],
    [['Sign-in required'], 'password-expired'],
    [['Offline'], 'microsoft-oauth-expired'],
    [['Gmail', 'Credentials expired'], 'password-expired'],
    [['Microsoft 365', 'Credentials expired'], 'microsoft-oauth-expired'],
    [['Reauthorization needed'], 'password-expired'],
    [['Re-authentication required'], 'password-expired'],
    [['Gmail', 'Reauthenticate'], 'password-expired'],
    [['Gmail', 'Log in again'], 'password-expired'],
    [['Gmail', 'Failed'], 'password-expired'],
    [['Error'], 'password-expired'],
    [['Microsoft 365', 'OAuth', 'Error'], 'microsoft-oauth-expired'],
    [['Microsoft 365', 'Authorization failed'], 'microsoft-oauth-expired'],
    [['Gmail', 'Authorisation error'], 'password-expired'],
    [['Re-auth needed'], 'password-expired'],
    [['Microsoft 365', 'Reauth required'], 'microsoft-basic-auth'],
  ])('%j needs reauthorization: %s', (texts, scenario) => {
    expect(classify(texts)).toMatchObject({ state: 'needs-reauth', scenario });
  });

  it.each([['Syncing'], ['Online'], ['Healthy'], ['Working'], ['OK']])('"%s" is connected', (word) => {
    expect(classify(['Gmail', word])).toMatchObject({ state: 'connected' });
  });

  it.each([['Not syncing'], ['Not online']])('"%s" is not connected', (word) => {
    expect(classify(['Gmail', word])?.state).not.toBe('connected');
  });

  it('an address that merely contains a word is no status: "expired", "error", "OK" only as the whole status', () => {
    expect(classify(['Gmail', 'Trial expired soon: renew'])).toBeNull();
    expect(classify(['Gmail', 'Error rate 0%', 'OK to delete'])).toBeNull();
    expect(hasStatusWords('renewals@acme.com')).toBe(false);
  });
});
