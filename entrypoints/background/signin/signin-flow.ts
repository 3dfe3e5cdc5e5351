/**
 * The sign-in flow from the popup's click to the tokens: opening sign-in, waiting for you, checking the
 * account, then done, or a stop the popup explains (wrong account, an error from the catalogue). The worker
 * owns every flow, so it survives the popup closing (it closes as soon as the sign-in window takes focus on
 * Windows and Linux). Tokens stay in this worker (TokenVault); the popup only ever sees FlowViews.
 */
import browser from 'webextension-polyfill';
import { explainAuthError } from '../../../lib/auth-errors';
import {
  checkAccount,
  parseSigninSettings,
  planSignin,
  SIGNIN_SETTINGS_KEY,
  signinDismissSchema,
  signinStartSchema,
  type FlowView,
  type SigninPlan,
} from '../../../lib/signin';
import { route, UserFacingError } from '../router';
import { diagnoseAuthorizePage } from './authorize-page-check';
import { flowError, providerFailure, SigninFailure, toSigninFailure } from './failure';
import { redirectUri } from './launch';
import { microsoftSignIn } from './microsoft-flow';
import { forgetMsalInteractions } from './msal-host';
import { authorizeForCompanion, oauthSignIn } from './oauth-flow';
import { holdable, readDelegates, type SigninRequestStart, type SigninShared } from './shared';
import type { SigninHooks } from './types';

export function installSigninFlow(shared: SigninShared): { begin(request: SigninRequestStart): Promise<{ flowId: string }> } {
  const { flows, vault, redeemer, quarantine, guide } = shared;
  // A worker that starts again has no flow running: an interaction MSAL still holds belongs to a dead one.
  void forgetMsalInteractions();

  /**
   * Confidential client: the companion redeems the code and applies the same account guard (it learns the
   * account only from the id token it receives). Whether it can is asked first, so no code is wasted.
   */
  async function runViaCompanion(flow: FlowView, plan: SigninPlan, redirect: string, hooks: SigninHooks): Promise<void> {
    const blocked = await redeemer.obstacle(flow.mailbox, plan.provider);
    if (blocked) throw new SigninFailure(blocked.errorId, undefined, blocked.detail);
    const issued = await authorizeForCompanion(plan, redirect, hooks);
    await flows.update(flow.id, { step: 'checking' });
    const outcome = await redeemer.redeem(flow.mailbox, {
      ...issued,
      provider: plan.provider,
      clientId: plan.clientId,
      ...(plan.provider === 'microsoft' ? { tenant: plan.tenant } : {}),
      delegates: (await readDelegates())[flow.mailbox] ?? [],
    });
    if (outcome.ok) {
      const signedInAs = outcome.account === flow.mailbox ? 'mailbox' : 'delegate';
      await finished(flow, { step: 'done', account: outcome.account, signedInAs });
    } else if ('wrongAccount' in outcome) {
      await finished(flow, { step: 'wrong-account', account: outcome.wrongAccount, error: { id: 'wrong-account' } });
    } else if (outcome.providerError) {
      // The catalogue explains the provider's code; the companion's words say where it happened.
      const classified = providerFailure({ error: outcome.providerError });
      throw new SigninFailure(classified.errorId, classified.code, outcome.detail);
    } else {
      throw new SigninFailure(outcome.errorId, undefined, outcome.detail);
    }
  }

  /** A flow's end. A success closes the incognito guide for that mailbox: the guide has done its job. */
  async function finished(flow: FlowView, patch: Partial<FlowView>): Promise<void> {
    await flows.update(flow.id, { ...patch, finishedAt: Date.now() });
    if (patch.step === 'done') await guide.closeFor(flow.mailbox);
  }

  async function run(flow: FlowView, genericId: string | undefined): Promise<void> {
    const redirect = redirectUri();
    let adminConsentUrl: string | undefined;
    let authorizeUrl: string | undefined;
    try {
      const settings = parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
      const planned = planSignin({ mailbox: flow.mailbox, provider: flow.provider, genericId }, settings, redirect);
      if (!planned.ok) throw new SigninFailure(planned.errorId);
      const { plan } = planned;
      if (plan.provider === 'microsoft') adminConsentUrl = plan.adminConsentUrl;
      await flows.update(flow.id, { providerLabel: plan.label, redeemedBy: plan.redeemVia });
      const hooks: SigninHooks = {
        waiting: (url) => {
          authorizeUrl = url;
          void flows.update(flow.id, { step: 'waiting' });
        },
        checking: () => void flows.update(flow.id, { step: 'checking' }),
      };
      if (plan.redeemVia === 'companion') return await runViaCompanion(flow, plan, redirect, hooks);
      const tokens =
        plan.provider === 'microsoft'
          ? await microsoftSignIn(plan, redirect, flow.mailbox, hooks)
          : await oauthSignIn(plan, redirect, hooks);
      await flows.update(flow.id, { step: 'checking' });
      const check = checkAccount(tokens.claims, flow.mailbox, await readDelegates());
      if (check.verdict === 'mailbox' || check.verdict === 'delegate') {
        await vault.put(holdable(flow, tokens, check.account, check.verdict));
        await finished(flow, { step: 'done', account: check.account, signedInAs: check.verdict });
        return;
      }
      quarantine.set(flow.id, tokens);
      await finished(flow, {
        step: check.verdict === 'mismatch' ? 'wrong-account' : 'unverified-account',
        ...(check.verdict === 'mismatch' ? { account: check.account } : {}),
        error: { id: check.verdict === 'mismatch' ? 'wrong-account' : 'no-account-in-token' },
      });
    } catch (error) {
      let failure = toSigninFailure(error);
      if (authorizeUrl) failure = await diagnoseAuthorizePage(authorizeUrl, failure);
      if (failure.errorId === 'unknown') {
        // Names only: messages can carry URLs with codes in them, and a log must never hold a credential.
        console.warn('Reauth Assist: sign-in failed with an unrecognised error', error instanceof Error ? error.name : typeof error, failure.code ?? '');
      }
      const shown = explainAuthError(failure.errorId, { adminConsentUrl });
      await finished(flow, { step: 'error', error: flowError(failure, { adminConsentUrl: shown.adminConsentUrl, redirectUri: redirect }) });
    }
  }

  async function begin(request: SigninRequestStart): Promise<{ flowId: string }> {
    const busy = await flows.running();
    if (busy) {
      throw new UserFacingError(`A sign-in for ${busy.mailbox} is still open: finish or close its window first.`);
    }
    const flow: FlowView = {
      id: crypto.randomUUID(),
      mailbox: request.mailbox,
      provider: request.provider,
      providerLabel: request.provider,
      ...(request.genericId ? { genericId: request.genericId } : {}),
      ...(request.helpdeskUrl ? { helpdeskUrl: request.helpdeskUrl } : {}),
      step: 'opening',
      startedAt: Date.now(),
    };
    await flows.start(flow);
    // Not awaited: the popup gets its answer now and may close; the worker carries the flow on.
    void run(flow, request.genericId);
    return { flowId: flow.id };
  }

  const { router } = shared.app;
  router.register(route({ kind: 'signin-start', schema: signinStartSchema, from: 'extension-page', handle: (request) => begin(request) }));
  router.register(
    route({
      kind: 'signin-dismiss',
      schema: signinDismissSchema,
      from: 'extension-page',
      handle: async ({ flowId }) => {
        quarantine.delete(flowId);
        await flows.remove(flowId);
      },
    }),
  );
  return { begin };
}
