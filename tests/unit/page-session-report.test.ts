// @vitest-environment happy-dom
/**
 * PageSession's reports: every picture the detection sends goes out; an assistant's mailboxes are added to it,
 * and an assistant that reports again with the same mailboxes sends nothing new.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MailboxReport, PageReport } from '../../lib/messages';
import type { AssistContext, Detector } from '../../entrypoints/helpdesk.content/detectors/types';
import { freshdesk } from '../../entrypoints/helpdesk.content/detectors/freshdesk';
import { PageSession } from '../../entrypoints/helpdesk.content/page-session';

const account = (address: string): MailboxReport => ({
  address,
  state: 'needs-reauth',
  scenario: 'password-expired',
  primary: false,
  statusText: 'Authentication failed',
});

describe('PageSession reports', () => {
  let sent: PageReport[];
  let assistant: { mailboxes: MailboxReport[]; context: AssistContext | null };
  const withAssistant: Detector = {
    ...freshdesk,
    assist(context) {
      assistant.context = context;
      return { update() {}, dispose() {}, mailboxes: () => assistant.mailboxes };
    },
  };

  beforeEach(() => {
    window.history.replaceState(null, '', '/a/admin/email');
    document.body.innerHTML = `<div role="alert">Please reauthorize your Email settings.</div><table><tbody>
      <tr><td>support@acme.test</td><td>Reauthorization required</td></tr>
      <tr><td>sales@acme.test</td><td>Active</td></tr></tbody></table>`;
    sent = [];
    assistant = { mailboxes: [], context: null };
  });

  const addresses = (report: PageReport | undefined) => report?.mailboxes.map((m) => m.address);
  const ask = (() => Promise.resolve({ ok: false, error: 'none' })) as AssistContext['ask'];

  it("sends the detection's picture, then the assistant's mailboxes added once, and nothing for the same again", () => {
    const session = new PageSession(document, (r) => sent.push(r), ask, [withAssistant]);
    session.update();
    expect(addresses(sent.at(-1))).toEqual(['support@acme.test', 'sales@acme.test']);
    const before = sent.length;

    assistant.mailboxes = [account('imap@acme.test'), account('support@acme.test')];
    assistant.context!.changed();
    expect(sent.length).toBe(before + 1);
    // Added once: a mailbox the detection reports already keeps the detection's words.
    expect(addresses(sent.at(-1))).toEqual(['support@acme.test', 'sales@acme.test', 'imap@acme.test']);

    assistant.context!.changed();
    expect(sent.length).toBe(before + 1);
    session.dispose();
  });

  it("sends every picture the detection sends, the assistant's part unchanged", () => {
    assistant.mailboxes = [account('imap@acme.test')];
    const session = new PageSession(document, (r) => sent.push(r), ask, [withAssistant]);
    session.update();
    const before = sent.length;
    document.querySelector('tr')!.remove();
    session.update();
    expect(sent.length).toBe(before + 1);
    expect(addresses(sent.at(-1))).toEqual(['sales@acme.test', 'imap@acme.test']);
    session.dispose();
  });
});
