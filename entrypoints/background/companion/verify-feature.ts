/**
 * Verify: the companion checks a handed-over mailbox over IMAP and SMTP; each step streams into the view
 * and reaches the pages as it happens, so a popup closed mid-run shows the result when it opens again.
 */
import { companionVerify, mergeStep, type VerifyRunView } from '../../../lib/companion-ui';
import { UserFacingError } from '../router';
import type { CompanionContext } from './context';
import { messageOf } from './pairing';

export function installVerify(companion: CompanionContext): void {
  const { view } = companion;

  async function setRun(run: VerifyRunView): Promise<void> {
    view.runs.set(run.mailbox, run);
    await view.save();
  }

  async function verify(mailbox: string, roundTrip: boolean): Promise<void> {
    const client = await companion.client();
    if (!client) throw new UserFacingError('Pair the companion first: Options > Companion.');
    let run: VerifyRunView = { mailbox, status: 'running', roundTrip, steps: [], startedAt: Date.now() };
    await setRun(run);
    try {
      await client.verify(mailbox, { roundTrip }, (line) => {
        if (line.type === 'step') run = { ...run, steps: mergeStep(run.steps, line.step) };
        else if (line.type === 'verdict') {
          run = { ...run, status: 'done', steps: line.verdict.steps, verdict: line.verdict };
        } else {
          const { message, hint } = line.error;
          run = { ...run, status: 'error', error: hint ? `${message} ${hint}` : message };
        }
        void setRun(run);
      });
    } catch (error) {
      run = { ...run, status: 'error', error: messageOf(error) };
      await setRun(run);
    }
    void companion.poll();
  }

  companion.app.router.register({
    message: companionVerify,
    from: 'extension-page',
    handle: async ({ mailbox, roundTrip }) => {
      await view.whenReady();
      if (view.runs.get(mailbox)?.status === 'running') {
        throw new UserFacingError(`A verification of ${mailbox} is already running.`);
      }
      // Not awaited: the popup may close; the steps land in the view and reach it when it opens again.
      void verify(mailbox, roundTrip);
    },
  });
}
