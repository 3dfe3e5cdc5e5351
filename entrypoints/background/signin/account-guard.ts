/**
 * The wrong-account guard's way forward: a flow stopped because another account signed in (or none was named)
 * is handed on only when the admin confirms it, for a shared mailbox's delegate or an account the provider
 * does not name. Anything else stays stopped.
 */
import browser from 'webextension-polyfill';
import { recordDelegate, SHARED_DELEGATES_KEY, signinConfirmAccount, signinConfirmDelegate } from '../../../lib/signin';
import { UserFacingError } from '../router';
import { holdable, readDelegates, type SigninRequestStart, type SigninShared } from './shared';
import type { HeldTokens } from './token-vault';

export function installAccountGuard(
  shared: SigninShared,
  begin: (request: SigninRequestStart) => Promise<{ flowId: string }>,
): void {
  const { flows, quarantine, vault } = shared;

  async function release(flowId: string, signedInAs: HeldTokens['signedInAs'], account: string): Promise<void> {
    const flow = await flows.get(flowId);
    const tokens = quarantine.get(flowId);
    if (!flow || !tokens)
      throw new UserFacingError('That sign-in is no longer held (the browser restarted the worker). Sign in again.');
    quarantine.delete(flowId);
    await vault.put(holdable(flow, tokens, account, signedInAs));
    await flows.update(flowId, { step: 'done', account, signedInAs, error: undefined, finishedAt: Date.now() });
  }

  const { router } = shared.app;
  router.register({
    message: signinConfirmDelegate,
    from: 'extension-page',
    handle: async ({ flowId, delegate }) => {
      const flow = await flows.get(flowId);
      if (flow?.step !== 'wrong-account' || flow.account !== delegate) {
        throw new UserFacingError('That confirmation does not match the account that signed in. Sign in again.');
      }
      const delegates = recordDelegate(await readDelegates(), flow.mailbox, delegate);
      await browser.storage.local.set({ [SHARED_DELEGATES_KEY]: delegates });
      if (flow.redeemedBy !== 'companion') return release(flowId, 'delegate', delegate);
      // The companion redeemed the code and kept nothing: the confirmed delegate signs in once more.
      await flows.remove(flowId);
      const { mailbox, provider, genericId, helpdeskUrl } = flow;
      return begin({ mailbox, provider, ...(genericId ? { genericId } : {}), ...(helpdeskUrl ? { helpdeskUrl } : {}) });
    },
  });
  router.register({
    message: signinConfirmAccount,
    from: 'extension-page',
    handle: async ({ flowId }) => {
      const flow = await flows.get(flowId);
      if (flow?.step !== 'unverified-account')
        throw new UserFacingError('There is nothing to confirm for that sign-in.');
      await release(flowId, 'confirmed-by-admin', flow.mailbox);
    },
  });
}
