/**
 * The worker only wires features together: each feature is one module that registers its message kinds on
 * the router and its listeners, so a new feature is one new module and one line here.
 */
import { createBackgroundApp } from './app';
import { installAssist } from './assist-feature';
import { installBadge } from './badge-feature';
import { installCompanion } from './companion';
import { installCustomOrigins } from './custom-origins-feature';
import { installHistory } from './history-feature';
import { installReveal } from './reveal-feature';
import { installSignin } from './signin';
import { installTabTracking } from './tabs-feature';

export default defineBackground(() => {
  const app = createBackgroundApp();
  installTabTracking(app);
  installBadge(app);
  installHistory(app);
  installCustomOrigins(app);
  installReveal(app);
  const signin = installSignin(app);
  installCompanion(app, signin.vault);
  installAssist(app);
});
