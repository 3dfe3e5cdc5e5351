import { useState } from 'preact/hooks';
import { explainAuthError } from '../../lib/auth-errors';
import type { FlowView } from '../../lib/signin';

interface Props {
  flow: FlowView;
  onRetry(): void;
  onGuide(): void;
  onConfirmDelegate(delegate: string): void;
  onConfirmAccount(): void;
}

/**
 * The guard fired: which account signed in, which was expected, nothing handed on. The way out: the picker
 * again, the guided private-window sign-out, or (shared mailbox) an explicit delegate confirmation.
 */
export function WrongAccount({ flow, onRetry, onGuide, onConfirmDelegate, onConfirmAccount }: Props) {
  const [sure, setSure] = useState(false);
  const unverified = flow.step === 'unverified-account';
  const view = explainAuthError(unverified ? 'no-account-in-token' : 'wrong-account');
  return (
    <div class="wrong-account" role="alert" data-signin-result={flow.step}>
      <p class="error">{view.title}</p>
      {unverified ? (
        <p>{view.cause}</p>
      ) : (
        <dl class="accounts">
          <dt>Signed in</dt>
          <dd data-account="signed-in">{flow.account}</dd>
          <dt>Expected</dt>
          <dd data-account="expected">{flow.mailbox}</dd>
        </dl>
      )}
      <p>Nothing was handed on.</p>
      <div class="actions">
        <button type="button" onClick={onRetry} data-signin="retry-picker">
          Try again with the account picker
        </button>
        {flow.provider === 'microsoft' && (
          <button type="button" onClick={onGuide} data-signin="incognito-guide">
            Guided incognito sign-out
          </button>
        )}
      </div>
      {unverified ? (
        <label class="confirm">
          <input type="checkbox" checked={sure} onChange={(e) => setSure((e.target as HTMLInputElement).checked)} />I
          signed in as {flow.mailbox}
          <button type="button" disabled={!sure} onClick={onConfirmAccount} data-signin="confirm-account">
            Confirm
          </button>
        </label>
      ) : (
        <details class="shared">
          <summary>This is a shared mailbox and I am its delegate</summary>
          <p>
            A shared mailbox has no sign-in of its own: its delegate signs in and the mailbox address stays the
            IMAP/SMTP user (Freshdesk: enter the shared mailbox's primary address in "Your support email").
          </p>
          <label class="confirm">
            <input
              type="checkbox"
              checked={sure}
              onChange={(e) => setSure((e.target as HTMLInputElement).checked)}
              data-signin="delegate-check"
            />
            {flow.account} is a delegate of the shared mailbox {flow.mailbox}
          </label>
          <button
            type="button"
            disabled={!sure}
            onClick={() => flow.account && onConfirmDelegate(flow.account)}
            data-signin="confirm-delegate"
          >
            {flow.redeemedBy === 'companion'
              ? `Confirm and sign in again as ${flow.account}`
              : 'Confirm and use this sign-in'}
          </button>
          {flow.redeemedBy === 'companion' && (
            <p class="muted">The companion kept nothing of this sign-in, so the picker opens once more.</p>
          )}
        </details>
      )}
    </div>
  );
}
