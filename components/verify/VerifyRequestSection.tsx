/**
 * The verify page a helpdesk settings screen opened (popup.html?verify=<id>): the mailbox its form is
 * about, the servers the page names, and the same sign-in and Verify panels as the popup's, so the
 * wrong-account guard and the companion's checks are the ones every mailbox gets.
 */
import { useEffect, useState } from 'preact/hooks';
import { getVerifyRequest, HELPDESK_NAMES, type VerifyRequestView } from '../../lib/assist-messages';
import type { MailboxReport, TabState } from '../../lib/messages';
import { SignInPanel } from '../signin/SignInPanel';
import { askWorker, failureText } from '../worker-client';
import { MailboxVerify } from './MailboxVerify';

const PURPOSE: Readonly<Record<VerifyRequestView['purpose'], string>> = {
  'before-save':
    'Sign in as the mailbox (its own account, not yours: any other account is stopped), then Verify: IMAP and SMTP ' +
    'are checked with the same kind of token the helpdesk will get. Press Save on the helpdesk page once the ' +
    'verdict says ready.',
  'smtp-auth':
    'Sign in as the mailbox, then Verify: the SMTP step tries SMTP AUTH for real. "SMTP AUTH is turned off" means ' +
    '"Turn off SMTP AUTH protocol for your organization" is still checked in the Exchange admin center (Settings ' +
    '> Mail flow).',
};

export function verifyRequestId(search: string): string | null {
  return new URLSearchParams(search).get('verify');
}

export function VerifyRequestSection({ id }: { id: string }) {
  const [request, setRequest] = useState<VerifyRequestView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    askWorker(getVerifyRequest, { id }).then(setRequest, (failure: unknown) => setError(failureText(failure)));
  }, [id]);

  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (request === undefined) return null;
  if (request === null)
    return (
      <p class="muted">This verify request is gone (the browser restarted). Press Verify on the helpdesk page again.</p>
    );

  const tab: TabState = {
    tabId: request.tabId,
    title: HELPDESK_NAMES[request.helpdesk],
    url: request.helpdeskUrl,
    helpdesk: request.helpdesk,
    bannerPresent: false,
    mailboxes: [],
    updatedAt: request.createdAt,
  };
  const mailbox: MailboxReport = {
    address: request.mailbox,
    state: 'needs-reauth',
    primary: false,
    provider: request.provider === 'generic' ? 'other' : request.provider,
    statusText: '',
  };
  const servers = [
    request.imap && `IMAP ${request.imap.host}:${request.imap.port}`,
    request.smtp && `SMTP ${request.smtp.host}:${request.smtp.port}`,
  ].filter(Boolean);
  return (
    <section class="tab verify-request" aria-labelledby="verify-request-heading" data-verify-request={request.mailbox}>
      <h2 id="verify-request-heading">
        Verify {request.mailbox} for {HELPDESK_NAMES[request.helpdesk]}
      </h2>
      <p>{PURPOSE[request.purpose]}</p>
      {servers.length > 0 && (
        <p class="muted" data-verify-request-servers>
          From the page: {servers.join(', ')}.
        </p>
      )}
      <div class="mailbox">
        <SignInPanel tab={tab} mailbox={mailbox} />
        <MailboxVerify mailbox={mailbox} />
      </div>
    </section>
  );
}
