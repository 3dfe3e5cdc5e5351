/**
 * GET /v1/mailboxes/:address/folders through the companion process against real Dovecot: the folder list
 * with the server's special-use flags and the suggested mapping (Salesorder's folder dropdowns); an unknown
 * mailbox and a missing secret are refused with the API's JSON errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, mailboxFoldersResponseSchema, mailboxPath } from '../../lib/companion-api';
import { ACCOUNTS } from '../stack';
import { startStackWithCompanion, type StackWithCompanion } from '../support/stack-routing';
import { api, handOverTokens } from './companion-support';

describe('mailbox folders (companion process, real Dovecot)', () => {
  let parts: StackWithCompanion;

  beforeAll(async () => {
    parts = await startStackWithCompanion();
  });
  afterAll(async () => {
    await parts?.stop();
  });

  it('lists the folders with their special-use flags and suggests the mapping', async () => {
    const address = ACCOUNTS.support.email;
    const { companion } = parts;
    const call = api(companion.url, companion.secret);
    const tokens = await handOverTokens(parts.stack, companion, address);

    const res = await call('GET', mailboxPath(address, '/folders'));
    expect(res.status, res.text).toBe(200);
    const body = mailboxFoldersResponseSchema.parse(JSON.parse(res.text));
    expect(body.address).toBe(address);
    const byUse = Object.fromEntries(body.folders.filter((f) => f.specialUse).map((f) => [f.specialUse!, f.path]));
    expect(byUse).toEqual({
      '\\Sent': 'Sent',
      '\\Drafts': 'Drafts',
      '\\Junk': 'Junk',
      '\\Trash': 'Trash',
      '\\Archive': 'Archive',
    });
    expect(body.folders.map((f) => f.path)).toContain('INBOX');
    expect(body.mapping).toEqual({
      inbox: { path: 'INBOX', reason: 'inbox' },
      sent: { path: 'Sent', reason: 'special-use' },
      drafts: { path: 'Drafts', reason: 'special-use' },
      junk: { path: 'Junk', reason: 'special-use' },
      trash: { path: 'Trash', reason: 'special-use' },
      archive: { path: 'Archive', reason: 'special-use' },
    });
    // Nothing secret in the answer.
    expect(res.text).not.toContain(tokens.access_token);
  });

  it('refuses an unknown mailbox and a request without the pairing secret', async () => {
    const { companion } = parts;
    const unknown = await api(companion.url, companion.secret)('GET', mailboxPath('nobody@contoso.test', '/folders'));
    expect(unknown.status).toBe(404);
    expect(apiErrorSchema.parse(JSON.parse(unknown.text)).error.hint).toContain('Sign in');
    const anonymous = await api(companion.url, undefined)('GET', mailboxPath(ACCOUNTS.support.email, '/folders'));
    expect(anonymous.status).toBe(401);
  });
});
