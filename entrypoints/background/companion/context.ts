/**
 * What the companion's features (pairing, monitoring, handoff, verify) share in one worker: the pairing,
 * the popup's view of the companion, the pages that follow it and the saved mail servers.
 */
import browser from 'webextension-polyfill';
import {
  COMPANION_SERVERS_KEY,
  storedMailServersSchema,
  type CompanionPopupState,
  type MailServers,
} from '../../../lib/companion-ui';
import type { BackgroundApp } from '../app';
import type { TokenVault } from '../signin/token-vault';
import type { StatePorts } from '../state-ports';
import type { CompanionClient } from './client';
import type { PairingStore } from './pairing';
import type { CompanionViewStore } from './view-store';

export interface CompanionContext {
  app: BackgroundApp;
  vault: TokenVault;
  pairing: PairingStore;
  view: CompanionViewStore;
  /** The open extension pages that follow the companion's state. */
  pages: StatePorts<CompanionPopupState>;
  /** A client for the paired companion, or null before pairing. */
  client(): Promise<CompanionClient | null>;
  /** Polls the companion's mailbox list now (one poll at a time, see monitoring-feature.ts). */
  poll(): Promise<void>;
}

export const NOT_PAIRED = 'The companion is not paired: Options > Companion, paste its address and pairing secret.';

/** The IMAP/SMTP servers the admin set per mailbox (none when storage holds something else). */
export async function readServers(): Promise<Record<string, MailServers>> {
  const stored = (await browser.storage.local.get(COMPANION_SERVERS_KEY))[COMPANION_SERVERS_KEY];
  const parsed = storedMailServersSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

/** Everything the pages show about the companion, pushed over COMPANION_STATE_PORT. */
export async function companionSnapshot({ view, pairing }: CompanionContext): Promise<CompanionPopupState> {
  await view.whenReady();
  const status = await pairing.status();
  return {
    paired: status.hasSecret,
    url: status.url,
    monitored: view.monitored,
    handoffs: [...view.handoffs.values()],
    runs: [...view.runs.values()],
    reports: [...view.reports.values()],
    servers: await readServers(),
  };
}
