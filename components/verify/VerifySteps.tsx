import { STEP_TITLES, type StepResult } from '../../lib/verification';

const MARKS: Readonly<Record<StepResult['status'], string>> = { running: '…', ok: '✓', failed: '✗', skipped: '–' };
const SAID: Readonly<Record<StepResult['status'], string>> = {
  running: 'running',
  ok: 'passed',
  failed: 'failed',
  skipped: 'skipped',
};

/** Each step as it arrives, green or red, with the server's own words behind a "details" toggle. */
export function VerifySteps({ steps }: { steps: readonly StepResult[] }) {
  return (
    <ol class="verify-steps" aria-label="Verification steps">
      {steps.map((step) => (
        <li key={step.id} class={`verify-step ${step.status}`} data-step-id={step.id} data-step-status={step.status}>
          <span class="mark" aria-hidden="true">
            {MARKS[step.status]}
          </span>
          <span class="step-title">{step.title || STEP_TITLES[step.id]}</span>
          <span class="sr-only"> ({SAID[step.status]})</span>
          {step.summary && <p class="step-summary">{step.summary}</p>}
          {step.details && (
            <details class="step-details">
              <summary>details</summary>
              <pre data-step-details>{step.details}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
