/**
 * The worker only wires features together: each feature is one module that registers its message kinds on
 * the router and its listeners, so a new feature is one new module and one line here.
 */
import browser from 'webextension-polyfill';
import { createBackgroundApp } from './app';
import { installDesktopAlerts } from './alerts-feature';
import { installAssist } from './assist-feature';
import { installBadge } from './badge-feature';
import { installCompanion } from './companion';
import { installCustomOrigins } from './custom-origins-feature';
import { installHistory } from './history-feature';
import { installPageHelp } from './page-help-feature';
import { installReveal } from './reveal-feature';
import { installSignin } from './signin';
import { TokenVault } from './signin/token-vault';
import { lockStorageToExtensionPages } from './storage-lockdown';
import { installTabTracking } from './tabs-feature';

export default defineBackground(() => {
  lockStorageToExtensionPages();
  const app = createBackgroundApp();
  installTabTracking(app);
  installBadge(app);
  installHistory(app);
  installCustomOrigins(app);
  installReveal(app);
  // Tokens the worker redeemed wait here for the companion; codes it does not redeem go to the companion directly.
  const vault = new TokenVault(browser.storage.session);
  const codeRedeemer = installCompanion(app, vault);
  installSignin(app, vault, codeRedeemer);
  installAssist(app);
  installPageHelp(app);
  installDesktopAlerts();
});
