import { incognitoGuideClose, incognitoGuideMark, incognitoGuideOpen, type SigninPopupState } from '../../lib/signin';
import { useWorkerAsk } from './useWorkerAsk';
import { CopyField } from './CopyButton';

type Guide = NonNullable<SigninPopupState['guide']>;

/** The seeds' fix for the wrong Microsoft account signing in by itself, one step at a time, each checked off. */
export function IncognitoGuidePanel({ guide }: { guide: Guide }) {
  const [error, ask] = useWorkerAsk();
  const { plan } = guide;
  return (
    <section class="incognito-guide" aria-label="Guided incognito sign-out" data-guide-mailbox={guide.state.mailbox}>
      <h2>Guided sign-out in a private window</h2>
      <ol>
        {guide.steps.map((step) => (
          <li key={step.id} data-guide-step={step.id} data-status={step.status}>
            <label>
              <input
                type="checkbox"
                checked={step.status === 'done'}
                disabled={step.status === 'pending'}
                onChange={(e) => ask(incognitoGuideMark, { step: step.id, done: e.currentTarget.checked })}
              />
              <strong>{step.title}</strong>
            </label>
            {step.status !== 'done' && <p class="muted">{step.detail}</p>}
            {step.status === 'current' && step.id === 'open-private-window' && plan.method === 'create-window' && (
              <button
                type="button"
                onClick={() => ask(incognitoGuideOpen, { what: 'helpdesk' })}
                data-guide="open-window"
              >
                Open private window
              </button>
            )}
            {step.status === 'current' && step.id === 'open-private-window' && plan.method === 'manual' && (
              <p>
                Shortcut: <kbd data-guide="shortcut">{plan.shortcut}</kbd>
              </p>
            )}
            {step.status === 'current' && step.id === 'sign-out-microsoft' && plan.method === 'create-window' && (
              <button
                type="button"
                onClick={() => ask(incognitoGuideOpen, { what: 'sign-out' })}
                data-guide="open-sign-out"
              >
                Open Microsoft sign-out there
              </button>
            )}
            {step.status === 'current' && step.url && <CopyField label="Address" value={step.url} />}
          </li>
        ))}
      </ol>
      {guide.steps.every((s) => s.status === 'done') && (
        <p class="ok" data-guide="finished">
          Done: the mailbox is reauthorized.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="link" onClick={() => ask(incognitoGuideClose)} data-guide="close">
        Close the guide
      </button>
    </section>
  );
}
