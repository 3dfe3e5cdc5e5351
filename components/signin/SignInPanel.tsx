import browser from 'webextension-polyfill';
import { useState } from 'preact/hooks';
import type { MailboxReport, TabState } from '../../lib/messages';
import { microsoftTenantFor } from '../../lib/providers';
import type { FlowView, SigninPopupState, SigninProvider } from '../../lib/signin';
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
  if (mailbox.provider === 'other') return configured?.generic[0] ? `generic:${configured.generic[0].id}` : 'generic-new';
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
    void ask({ kind: 'signin-start', mailbox: mailbox.address, provider, ...(genericId ? { genericId } : {}), helpdeskUrl: tab.url });
  };
  const configured =
    choice === 'microsoft' ? state?.configured.microsoft : choice === 'google' ? state?.configured.google : choice.startsWith('generic:');
  const running = flow !== undefined && RUNNING.has(flow.step);

  return (
    <div class="signin" data-signin-mailbox={mailbox.address} data-signin-step={flow?.step ?? 'idle'}>
      {/* Nothing until the worker's state arrives: "No Client ID" would flash on every opening otherwise. */}
      {state && !running && (
        <div class="signin-start">
          <label>
            Provider{' '}
            <select value={choice} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)} data-signin="provider">
              <option value="microsoft">{personal ? 'Microsoft (personal: outlook.com, hotmail.com)' : 'Microsoft 365 (work or school)'}</option>
              <option value="google">Google</option>
              {state?.configured.generic.map((g) => (
                <option key={g.id} value={`generic:${g.id}`}>
                  {g.name}
                </option>
              ))}
              <option value="generic-new">Other OAuth provider…</option>
            </select>
          </label>
          {choice === 'generic-new' ? (
            <GenericProviderForm onSaved={(p) => setPicked(`generic:${p.id}`)} />
          ) : configured ? (
            <button type="button" onClick={start} data-signin="start">
              Sign in
            </button>
          ) : (
            <p class="muted">
              No Client ID is set for this provider yet.{' '}
              <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
                Open Options
              </button>
            </p>
          )}
        </div>
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
          onGuide={() => void ask({ kind: 'incognito-guide-start', mailbox: mailbox.address, helpdeskUrl: tab.url })}
          onConfirmDelegate={(delegate) => void ask({ kind: 'signin-confirm-delegate', flowId: flow.id, delegate })}
          onConfirmAccount={() => void ask({ kind: 'signin-confirm-account', flowId: flow.id })}
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
