/**
 * The companion feature, one module per part: pairing (pairing-feature.ts), monitoring with the badge
 * (monitoring-feature.ts), the handoff of a signed-in mailbox's tokens (handoff-feature.ts) and verification
 * streamed step by step to the pages (verify-feature.ts). They share one CompanionContext (context.ts).
 *
 * Every companion answer is validated (client.ts); tokens go from the vault to the companion and nowhere
 * else; the pairing secret stays in storage.local and no message answers with it.
 */
import browser from 'webextension-polyfill';
import { companionRefresh, type CompanionPopupState } from '../../../lib/companion-ui';
import { COMPANION_STATE_PORT } from '../../../lib/page-ports';
import type { BackgroundApp } from '../app';
import type { TokenVault } from '../signin/token-vault';
import type { CodeRedeemer } from '../signin/types';
import { StatePorts } from '../state-ports';
import { CompanionClient } from './client';
import { companionSnapshot, type CompanionContext } from './context';
import { installHandoff } from './handoff-feature';
import { installMonitoring, type CompanionMonitor } from './monitoring-feature';
import { PairingStore } from './pairing';
import { installPairing } from './pairing-feature';
import { installVerify } from './verify-feature';
import { CompanionViewStore } from './view-store';

/** Returns the companion's half of confidential-client sign-ins (the sign-in feature hands it codes). */
export function installCompanion(app: BackgroundApp, vault: TokenVault): CodeRedeemer {
  const pairing = new PairingStore(browser.storage.local);
  // The monitor exists before any page can connect: listeners only run after this function returns.
  let monitor: CompanionMonitor | undefined;
  const pages = new StatePorts<CompanionPopupState>(
    COMPANION_STATE_PORT,
    'companion-state',
    () => companionSnapshot(companion),
    (connected) => monitor?.follow(connected),
  );
  const view = new CompanionViewStore(browser.storage.session, () => pages.changed());
  const base = {
    app,
    vault,
    pairing,
    view,
    pages,
    async client() {
      const saved = await pairing.read();
      return saved ? new CompanionClient(saved) : null;
    },
  };
  monitor = installMonitoring(base);
  const companion: CompanionContext = { ...base, poll: monitor.poll };

  const handoff = installHandoff(companion);
  installPairing(companion, handoff.retryWaiting);
  installVerify(companion);
  app.router.register({ message: companionRefresh, from: 'extension-page', handle: () => companion.poll() });
  pages.listen(browser.runtime, app.router);
  return handoff.codeRedeemer;
}
