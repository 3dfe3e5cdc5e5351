/**
 * The sign-in features, one module each: the flow from the popup (signin-flow.ts), the wrong-account guard's
 * confirmations (account-guard.ts), the guided incognito sign-out (incognito-guide-feature.ts) and the account
 * picker forced on the helpdesk's own sign-in (helpdesk-flow/). Here: what they share, and the popup's view.
 */
import browser from 'webextension-polyfill';
import { StatePorts } from '../state-ports';
import {
  parseSigninSettings,
  SHARED_DELEGATES_KEY,
  SIGNIN_SETTINGS_KEY,
  type SigninPopupState,
} from '../../../lib/signin';
import { SIGNIN_STATE_PORT } from '../../../lib/page-ports';
import type { BackgroundApp } from '../app';
import { installAccountGuard } from './account-guard';
import { FlowStore } from './flow-store';
import { installHelpdeskFlowPicker } from './helpdesk-flow';
import { IncognitoGuide } from './incognito-guide';
import { installIncognitoGuide } from './incognito-guide-feature';
import { redirectUri } from './launch';
import type { SigninShared } from './shared';
import { installSigninFlow } from './signin-flow';
import type { TokenVault } from './token-vault';
import type { CodeRedeemer } from './types';

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
  const shared: SigninShared = {
    app,
    flows: new FlowStore(browser.storage.session, changed),
    guide: new IncognitoGuide(browser.storage.session, changed),
    vault,
    redeemer,
    quarantine: new Map(),
    changed,
  };

  async function snapshot(): Promise<SigninPopupState> {
    const settings = parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
    return {
      flows: await shared.flows.list(),
      configured: {
        microsoft: !!settings.microsoft.clientId,
        google: !!settings.google.clientId,
        generic: settings.generic.map(({ id, name }) => ({ id, name })),
      },
      guide: await shared.guide.view(),
      redirectUri: redirectUri(),
    };
  }

  pages.listen(browser.runtime, app.router);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && (SIGNIN_SETTINGS_KEY in changes || SHARED_DELEGATES_KEY in changes)) changed();
  });

  const flow = installSigninFlow(shared);
  installAccountGuard(shared, flow.begin);
  installIncognitoGuide(shared);
  installHelpdeskFlowPicker(shared);
}
