/**
 * A mailbox's real fix, first: "Reauthorize in Freshdesk" runs the helpdesk's own sign-in for that row, with the
 * account picker forced (entrypoints/background/signin/helpdesk-flow), by pressing the row's own control in its
 * tab, as the mark's button does on the page.
 */
import { useState } from 'preact/hooks';
import { HELPDESK_NAMES } from '../lib/assist-messages';
import { helpdeskReauthorize } from '../lib/helpdesk-picker-messages';
import { revealMailbox, type MailboxReport, type TabState } from '../lib/messages';
import { askWorker, failureText } from './worker-client';

interface Props {
  tab: TabState;
  mailbox: MailboxReport;
}

export function ReauthorizeInHelpdesk({ tab, mailbox }: Props) {
  const [said, setSaid] = useState<{ text: string; error: boolean } | null>(null);
  const name = HELPDESK_NAMES[tab.helpdesk];
  const press = async () => {
    setSaid(null);
    try {
      const { armed, pressed } = await askWorker(helpdeskReauthorize, { tabId: tab.tabId, address: mailbox.address });
      if (!pressed) {
        await askWorker(revealMailbox, { tabId: tab.tabId, address: mailbox.address });
        setSaid({ text: `Press the row's own Re-authorize (or Edit, then Sign in) in ${name}.`, error: false });
      } else if (!armed) {
        setSaid({
          text: `${name}'s sign-in opened without a forced account picker: choose ${mailbox.address} yourself.`,
          error: false,
        });
      }
    } catch (failure) {
      setSaid({ text: failureText(failure), error: true });
    }
  };
  return (
    <>
      <button
        type="button"
        class="btn btn-primary"
        onClick={() => void press()}
        data-action="reauthorize-in-helpdesk"
        title={`Opens ${name}'s own sign-in for this mailbox, with the account picker`}
      >
        Reauthorize in {name}
      </button>
      {said && (
        <p class={said.error ? 'error' : 'note'} role={said.error ? 'alert' : 'status'} data-reauthorize-said>
          {said.text}
        </p>
      )}
    </>
  );
}
