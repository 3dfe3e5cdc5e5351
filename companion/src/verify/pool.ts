/**
 * Verify many mailboxes (several helpdesks, many support addresses) at once without opening hundreds of
 * connections: at most `concurrency` verifications run at the same time (p-limit), results come back in
 * the order asked.
 */
import pLimit from 'p-limit';
import type { StepResult, Verdict, VerifyTarget } from '../../../lib/verification';
import { verifyMailbox, type VerifyOptions } from './verify-mailbox';

export interface VerifyManyOptions extends Omit<VerifyOptions, 'onStep'> {
  /** Most verifications in flight at once (default 8). */
  concurrency?: number;
  onStep?: (index: number, step: StepResult) => void;
  onVerdict?: (index: number, verdict: Verdict) => void;
}

export async function verifyMany(
  targets: readonly VerifyTarget[],
  options: VerifyManyOptions = {},
): Promise<Verdict[]> {
  const { concurrency = 8, onStep, onVerdict, ...verifyOptions } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('concurrency must be a whole number of at least 1');
  const limit = pLimit(concurrency);
  return Promise.all(
    targets.map((target, index) =>
      limit(async () => {
        const verdict = await verifyMailbox(target, {
          ...verifyOptions,
          ...(onStep ? { onStep: (step: StepResult) => onStep(index, step) } : {}),
        });
        onVerdict?.(index, verdict);
        return verdict;
      }),
    ),
  );
}
