import browser from 'webextension-polyfill';
import { useState } from 'preact/hooks';
import type { MailboxReport, TabState } from '../../lib/messages';
import { microsoftTenantFor } from '../../lib/providers';
import {
  incognitoGuideStart,
  signinConfirmAccount,
  signinConfirmDelegate,
  signinStart,
  type FlowView,
  type SigninPopupState,
  type SigninProvider,
} from '../../lib/signin';
import { useWorkerAsk } from './useWorkerAsk';
import { GenericProviderForm } from './GenericProviderForm';
import { IncognitoGuidePanel } from './IncognitoGuidePanel';
import { SigninError } from './SigninError';
import { SigninProgress } from './SigninProgress';
import { useSigninState } from './useSigninState';
import './signin.css';
import { WrongAccount } from './WrongAccount';

/** 'microsoft' | 'google' | 'generic:<id>' | 'generic-new' (set one up here). */
type Choice = string;

function defaultChoice(mailbox: MailboxReport, configured: SigninPopupState['configured'] | undefined): Choice {
  if (mailbox.provider === 'google') return 'google';
  if (mailbox.provider === 'other')
    return configured?.generic[0] ? `generic:${configured.generic[0].id}` : 'generic-new';
  return 'microsoft';
}

function parseChoice(choice: Choice): { provider: SigninProvider; genericId?: string } {
  if (choice.startsWith('generic:')) return { provider: 'generic', genericId: choice.slice('generic:'.length) };
  return { provider: choice === 'google' ? 'google' : choice === 'microsoft' ? 'microsoft' : 'generic' };
}

const RUNNING = new Set<FlowView['step']>(['opening', 'waiting', 'checking']);

/** Sign in for one affected mailbox: provider, the button, progress, and whatever stopped the flow. */
export function SignInPanel({ tab, mailbox }: { tab: TabState; mailbox: MailboxReport }) {
  const state = useSigninState();
  const [picked, setPicked] = useState<Choice | null>(null);
  const [error, ask] = useWorkerAsk();
  const choice = picked ?? defaultChoice(mailbox, state?.configured);
  const flow = state?.flows.find((f) => f.mailbox === mailbox.address);
  const guide = state?.guide?.state.mailbox === mailbox.address ? state.guide : null;
  const personal = microsoftTenantFor(mailbox.address) === 'consumers';

  const start = () => {
    const { provider, genericId } = parseChoice(choice);
    void ask(signinStart, {
      mailbox: mailbox.address,
      provider,
      ...(genericId ? { genericId } : {}),
      helpdeskUrl: tab.url,
    });
  };
  const configured =
    choice === 'microsoft'
      ? state?.configured.microsoft
      : choice === 'google'
        ? state?.configured.google
        : choice.startsWith('generic:');
  const running = flow !== undefined && RUNNING.has(flow.step);

  // The row named the provider (Microsoft Office 365, Gmail, ...): no question. Otherwise, or for "Other"
  // (which of the OAuth providers set up in Options?), the admin picks.
  const askProvider = mailbox.provider === undefined || mailbox.provider === 'other';
  const providerName = choice === 'google' ? 'Google' : personal ? 'Microsoft (personal account)' : 'Microsoft 365';
  const hintId = `signin-hint-${mailbox.address}`;

  return (
    <div class="signin" data-signin-mailbox={mailbox.address} data-signin-step={flow?.step ?? 'idle'}>
      {/* Nothing until the worker's state arrives: "No Client ID" would flash on every opening otherwise. */}
      {state && !running && (
        <div class="signin-start">
          {askProvider && (
            <label class="field-inline">
              <span class="sr-only">Provider of {mailbox.address}</span>
              <select
                class="select"
                value={choice}
                onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}
                data-signin="provider"
              >
                <option value="microsoft">
                  {personal ? 'Microsoft (personal: outlook.com, hotmail.com)' : 'Microsoft 365 (work or school)'}
                </option>
                <option value="google">Google</option>
                {state?.configured.generic.map((g) => (
                  <option key={g.id} value={`generic:${g.id}`}>
                    {g.name}
                  </option>
                ))}
                <option value="generic-new">Other OAuth provider…</option>
              </select>
            </label>
          )}
          {choice === 'generic-new' ? null : configured ? (
            <button
              type="button"
              class="btn btn-secondary"
              onClick={start}
              data-signin="start"
              aria-describedby={hintId}
              data-provider={choice}
            >
              Check the mailbox
            </button>
          ) : (
            <p class="muted">
              No Client ID is set for this provider yet.{' '}
              <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
                Open Options
              </button>
            </p>
          )}
          <span id={hintId} class="sr-only">
            {askProvider
              ? 'Signs in with the account picker, then the companion tests IMAP and SMTP'
              : `Signs in with ${providerName} (named on the row) with the account picker, then the companion ` +
                'tests IMAP and SMTP'}
          </span>
        </div>
      )}
      {state && !running && choice === 'generic-new' && (
        <GenericProviderForm onSaved={(p) => setPicked(`generic:${p.id}`)} />
      )}
      {flow && (RUNNING.has(flow.step) || flow.step === 'done') && <SigninProgress flow={flow} />}
      {flow?.step === 'done' && (
        <p class="ok" data-signin-result="done">
          Signed in as {flow.account}
          {flow.signedInAs === 'delegate' ? ` (delegate of ${flow.mailbox})` : ''}.{' '}
          {flow.redeemedBy === 'companion'
            ? 'The companion redeemed the sign-in and keeps the tokens, encrypted; none reached the browser.'
            : "The tokens stay in Reauth Assist's background."}
        </p>
      )}
      {flow?.step === 'error' && flow.error && <SigninError error={flow.error} onRetry={start} />}
      {flow && (flow.step === 'wrong-account' || flow.step === 'unverified-account') && (
        <WrongAccount
          flow={flow}
          onRetry={start}
          onGuide={() => void ask(incognitoGuideStart, { mailbox: mailbox.address, helpdeskUrl: tab.url })}
          onConfirmDelegate={(delegate) => void ask(signinConfirmDelegate, { flowId: flow.id, delegate })}
          onConfirmAccount={() => void ask(signinConfirmAccount, { flowId: flow.id })}
        />
      )}
      {guide && <IncognitoGuidePanel guide={guide} />}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
