/**
 * The sign-in feature. The worker owns every flow from the click to the tokens, so a flow survives the popup
 * closing (it closes as soon as the sign-in window takes focus on Windows and Linux). Steps: opening sign-in,
 * waiting for you, checking the account, then done, or a stop the popup explains (wrong account, an error
 * from the catalogue). Tokens stay in this worker (TokenVault); the popup only ever sees FlowViews.
 */
import browser from 'webextension-polyfill';
import { StatePorts } from '../state-ports';
import { explainAuthError } from '../../../lib/auth-errors';
import {
  checkAccount,
  incognitoGuideClose,
  incognitoGuideMark,
  incognitoGuideOpen,
  incognitoGuideStart,
  parseSigninSettings,
  planSignin,
  recordDelegate,
  sharedDelegatesSchema,
  SHARED_DELEGATES_KEY,
  SIGNIN_SETTINGS_KEY,
  SIGNIN_STATE_PORT,
  signinConfirmAccount,
  signinConfirmDelegate,
  signinDismiss,
  signinStart,
  type FlowView,
  type SharedDelegates,
  type SigninPlan,
  type SigninPopupState,
} from '../../../lib/signin';
import type { BackgroundApp } from '../app';
import { UserFacingError } from '../router';
import { flowError, providerFailure, SigninFailure, toSigninFailure } from './failure';
import { FlowStore } from './flow-store';
import { IncognitoGuide } from './incognito-guide';
import { redirectUri } from './launch';
import { microsoftSignIn } from './microsoft-flow';
import { authorizeForCompanion, oauthSignIn } from './oauth-flow';
import type { HeldTokens, TokenVault } from './token-vault';
import type { CodeRedeemer, ObtainedTokens, SigninHooks } from './types';

async function readDelegates(): Promise<SharedDelegates> {
  const parsed = sharedDelegatesSchema.safeParse((await browser.storage.local.get(SHARED_DELEGATES_KEY))[SHARED_DELEGATES_KEY] ?? {});
  return parsed.success ? parsed.data : {};
}

function holdable(flow: FlowView, tokens: ObtainedTokens, account: string, signedInAs: HeldTokens['signedInAs']): HeldTokens {
  return {
    mailbox: flow.mailbox,
    provider: flow.provider,
    account,
    signedInAs,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
    expiresAt: tokens.expiresAt,
    scope: tokens.scope,
    tokenEndpoint: tokens.tokenEndpoint,
    clientId: tokens.clientId,
    obtainedAt: Date.now(),
  };
}

/**
 * Tokens held by the worker go to `vault` (the companion feature hands them on); codes for providers set to
 * "companion" go to `redeemer` and never become tokens in the browser.
 */
export function installSignin(app: BackgroundApp, vault: TokenVault, redeemer: CodeRedeemer): void {
  const pages = new StatePorts<SigninPopupState>(SIGNIN_STATE_PORT, 'signin-state', () => snapshot());
  const changed = () => {
    app.view.changed();
    pages.changed();
  };

  const flows = new FlowStore(browser.storage.session, changed);
  const guide = new IncognitoGuide(browser.storage.session, changed);
  /** Tokens of a flow stopped by the account check: memory only, handed on only if the admin confirms. */
  const quarantine = new Map<string, ObtainedTokens>();

  async function snapshot(): Promise<SigninPopupState> {
    const settings = parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
    return {
      flows: await flows.list(),
      configured: {
        microsoft: !!settings.microsoft.clientId,
        google: !!settings.google.clientId,
        generic: settings.generic.map(({ id, name }) => ({ id, name })),
      },
      guide: await guide.view(),
      redirectUri: redirectUri(),
    };
  }

  pages.listen(browser.runtime, app.router);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && (SIGNIN_SETTINGS_KEY in changes || SHARED_DELEGATES_KEY in changes)) changed();
  });

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
      await flows.update(flow.id, { step: 'done', account: outcome.account, signedInAs, finishedAt: Date.now() });
    } else if ('wrongAccount' in outcome) {
      await flows.update(flow.id, { step: 'wrong-account', account: outcome.wrongAccount, error: { id: 'wrong-account' }, finishedAt: Date.now() });
    } else if (outcome.providerError) {
      // The catalogue explains the provider's code; the companion's words say where it happened.
      const classified = providerFailure({ error: outcome.providerError });
      throw new SigninFailure(classified.errorId, classified.code, outcome.detail);
    } else {
      throw new SigninFailure(outcome.errorId, undefined, outcome.detail);
    }
  }

  async function run(flow: FlowView, genericId: string | undefined): Promise<void> {
    const redirect = redirectUri();
    let adminConsentUrl: string | undefined;
    try {
      const settings = parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
      const planned = planSignin({ mailbox: flow.mailbox, provider: flow.provider, genericId }, settings, redirect);
      if (!planned.ok) throw new SigninFailure(planned.errorId);
      const { plan } = planned;
      if (plan.provider === 'microsoft') adminConsentUrl = plan.adminConsentUrl;
      await flows.update(flow.id, { providerLabel: plan.label });
      const hooks = {
        waiting: () => void flows.update(flow.id, { step: 'waiting' }),
        checking: () => void flows.update(flow.id, { step: 'checking' }),
      };
      await flows.update(flow.id, { redeemedBy: plan.redeemVia });
      if (plan.redeemVia === 'companion') return await runViaCompanion(flow, plan, redirect, hooks);
      const tokens =
        plan.provider === 'microsoft'
          ? await microsoftSignIn(plan, redirect, flow.mailbox, hooks)
          : await oauthSignIn(plan, redirect, hooks);
      await flows.update(flow.id, { step: 'checking' });
      const check = checkAccount(tokens.claims, flow.mailbox, await readDelegates());
      if (check.verdict === 'mailbox' || check.verdict === 'delegate') {
        await vault.put(holdable(flow, tokens, check.account, check.verdict));
        await flows.update(flow.id, { step: 'done', account: check.account, signedInAs: check.verdict, finishedAt: Date.now() });
        return;
      }
      quarantine.set(flow.id, tokens);
      await flows.update(flow.id, {
        step: check.verdict === 'mismatch' ? 'wrong-account' : 'unverified-account',
        ...(check.verdict === 'mismatch' ? { account: check.account } : {}),
        error: { id: check.verdict === 'mismatch' ? 'wrong-account' : 'no-account-in-token' },
        finishedAt: Date.now(),
      });
    } catch (error) {
      const failure = toSigninFailure(error);
      if (failure.errorId === 'unknown') {
        // Names only: messages can carry URLs with codes in them, and a log must never hold a credential.
        console.warn('Reauth Assist: sign-in failed with an unrecognised error', error instanceof Error ? error.name : typeof error, failure.code ?? '');
      }
      const shown = explainAuthError(failure.errorId, { adminConsentUrl });
      await flows.update(flow.id, { step: 'error', error: flowError(failure, shown.adminConsentUrl), finishedAt: Date.now() });
    }
  }

  async function release(flowId: string, signedInAs: HeldTokens['signedInAs'], account: string): Promise<void> {
    const flow = await flows.get(flowId);
    const tokens = quarantine.get(flowId);
    if (!flow || !tokens) throw new UserFacingError('That sign-in is no longer held (the browser restarted the worker). Sign in again.');
    quarantine.delete(flowId);
    await vault.put(holdable(flow, tokens, account, signedInAs));
    await flows.update(flowId, { step: 'done', account, signedInAs, error: undefined, finishedAt: Date.now() });
  }

  async function begin(request: Pick<FlowView, 'mailbox' | 'provider' | 'genericId' | 'helpdeskUrl'>): Promise<{ flowId: string }> {
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

  const { router } = app;
  router.register({ message: signinStart, from: 'extension-page', handle: (request) => begin(request) });
  router.register(
    {
      message: signinConfirmDelegate,
      from: 'extension-page',
      handle: async ({ flowId, delegate }) => {
        const flow = await flows.get(flowId);
        if (!flow || flow.step !== 'wrong-account' || flow.account !== delegate) {
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
    },
  );
  router.register(
    {
      message: signinConfirmAccount,
      from: 'extension-page',
      handle: async ({ flowId }) => {
        const flow = await flows.get(flowId);
        if (!flow || flow.step !== 'unverified-account') throw new UserFacingError('There is nothing to confirm for that sign-in.');
        await release(flowId, 'confirmed-by-admin', flow.mailbox);
      },
    },
  );
  router.register(
    {
      message: signinDismiss,
      from: 'extension-page',
      handle: async ({ flowId }) => {
        quarantine.delete(flowId);
        await flows.remove(flowId);
      },
    },
  );
  router.register(
    {
      message: incognitoGuideStart,
      from: 'extension-page',
      handle: ({ mailbox, helpdeskUrl }) => guide.start(mailbox, helpdeskUrl),
    },
  );
  router.register(
    { message: incognitoGuideOpen, from: 'extension-page', handle: ({ what }) => guide.open(what) },
  );
  router.register(
    {
      message: incognitoGuideMark,
      from: 'extension-page',
      handle: ({ step, done }) => guide.mark(step, done),
    },
  );
  router.register(
    { message: incognitoGuideClose, from: 'extension-page', handle: () => guide.close() },
  );
}
