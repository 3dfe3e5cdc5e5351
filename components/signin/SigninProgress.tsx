import { PROGRESS_LABELS, PROGRESS_STEPS, type FlowView } from '../../lib/signin';

/** Opening sign-in, waiting for you, checking the account, done: each step ticked as the worker reports it. */
export function SigninProgress({ flow }: { flow: FlowView }) {
  const reached = PROGRESS_STEPS.indexOf(flow.step as (typeof PROGRESS_STEPS)[number]);
  return (
    <ol class="progress" aria-label="Sign-in progress">
      {PROGRESS_STEPS.map((step, index) => {
        const status = index < reached || flow.step === 'done' ? 'done' : index === reached ? 'current' : 'pending';
        return (
          <li
            key={step}
            data-progress={step}
            data-status={status}
            aria-current={status === 'current' ? 'step' : undefined}
          >
            {status === 'done' ? '✓ ' : status === 'current' ? '… ' : ''}
            {PROGRESS_LABELS[step]}
          </li>
        );
      })}
    </ol>
  );
}
