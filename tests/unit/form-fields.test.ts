// @vitest-environment happy-dom
/**
 * Settings-form fields found by meaning (words, name / id / placeholder, the choices a select offers) and
 * the protocol as one option names it; each helpdesk's words; a Salesorder list read from a bare div grid.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { protocolWord, readMailServerForm } from '../../entrypoints/helpdesk.content/forms/supportcenter-form';
import { affectedSentence, noneOnPageSentence } from '../../lib/helpdesk-words';

describe('protocol words', () => {
  it('names one protocol, with its secure form; a combined choice names none', () => {
    expect(
      [
        'IMAPS',
        'IMAP (SSL/TLS)',
        'imap over ssl',
        'IMAP4',
        'POP3',
        'POP3S',
        'SMTP (STARTTLS)',
        'SMTPS',
        'EWS',
        'Exchange Web Services',
        'Microsoft Graph',
      ].map(protocolWord),
    ).toEqual(['IMAPS', 'IMAPS', 'IMAPS', 'IMAP', 'POP', 'POPS', 'SMTP', 'SMTPS', 'EWS', 'EWS', 'GRAPH']);
    expect(protocolWord('POP/IMAP/POPS/IMAPS')).toBeNull();
    expect(protocolWord('Basic Authentication')).toBeNull();
  });
});

describe("a mail server form worded and laid out unlike SupportCenter Plus's", () => {
  beforeEach(() => {
    document.body.innerHTML =
      `
      <form>
        <div><span>Server kind</span><select name="serverKind">` +
      `<option>IMAP</option><option selected>POP3</option><option>IMAPS</option><option>EWS</option></select></div>
        <div><label><input type="radio" name="am" value="pw" checked> Password</label>` +
      `<label><input type="radio" name="am" value="oauth"> OAuth 2.0</label></div>
        <div><input name="incoming_host" placeholder="imap.example.com" value="outlook.office365.com"></div>
        <div><input name="portNo" placeholder="Port" value="110"></div>
        <div><input aria-label="Mailbox" value="help@contoso.test"></div>
      </form>`;
  });

  it('reads the protocol from the select offering protocols, the server and port from their names', () => {
    const { form } = readMailServerForm(document);
    expect(form.protocol).toBe('POP');
    expect(form.server).toBe('outlook.office365.com');
    expect(form.port).toBe(110);
    expect(form.emails).toEqual(['help@contoso.test']);
    expect(form.direction).toBe('incoming');
  });
});

describe("each helpdesk's words", () => {
  it('Freshdesk keeps its sentence; Salesorder counts mail accounts, SupportCenter Plus mail servers', () => {
    expect(affectedSentence('freshdesk', 3, 5)).toBe('3 of 5 support emails need reauthorization');
    expect(affectedSentence('salesorder', 1, 4)).toBe('1 of 4 mail accounts need attention');
    expect(affectedSentence('supportcenter-plus', 1, 1)).toBe('1 of 1 mail server needs attention');
    expect(noneOnPageSentence('salesorder')).toBe('No mail accounts on this page.');
  });
});

describe('a Salesorder account list as a div grid with no cell roles and no header cells', () => {
  it("is read from its first row's column names and its rows' children", async () => {
    const { readAccountList } = await import('../../entrypoints/helpdesk.content/forms/salesorder-accounts');
    document.body.innerHTML =
      `
      <div role="grid">
        <div role="row"><div>Account</div><div>Type</div><div>Sender email</div><div>Username</div></div>
        <div role="row"><div>Sales</div><div>Generic</div>` +
      `<div>sales@contoso.test</div><div>sales@contoso.test</div></div>
        <div role="row"><div>Support</div><div>Microsoft 365 (Corporate)</div>` +
      `<div>Support@Contoso.test</div><div>support@contoso.test</div></div>
      </div>`;
    const rows = readAccountList(document);
    expect(rows.map((r) => [r.account.name, r.account.type, r.account.senderEmail])).toEqual([
      ['Sales', 'Generic', 'sales@contoso.test'],
      ['Support', 'Microsoft 365 (Corporate)', 'support@contoso.test'],
    ]);
    expect(rows[0]!.markCell.textContent).toBe('Generic');
  });
});
