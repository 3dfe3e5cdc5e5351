/**
 * Handoff: a signed-in mailbox's tokens go from the vault to the companion (and nowhere else) the moment
 * the vault holds them, or once a pairing or the mailbox's servers arrive; a confidential client's code is
 * redeemed by the companion itself (the sign-in feature hands it over through the CodeRedeemer).
 */
import browser from 'webextension-polyfill';
import {
  COMPANION_SERVERS_KEY,
  companionHandoff,
  companionServersSave,
  type HandoffView,
} from '../../../lib/companion-ui';
import { UserFacingError } from '../router';
import type { CodeRedeemer } from '../signin/types';
import { redemptionFailure, refused, unavailable } from './code-redemption';
import { NOT_PAIRED, readServers, type CompanionContext } from './context';
import { buildCodeHandoff, buildTokensHandoff, needsServers } from './handoff';
import { messageOf } from './pairing';

export interface CompanionHandoff {
  /** The companion's half of confidential-client sign-ins. */
  codeRedeemer: CodeRedeemer;
  /** Sign-ins waiting for a pairing (or a companion that was down) go over once it works. */
  retryWaiting(): Promise<void>;
}

export function installHandoff(companion: CompanionContext): CompanionHandoff {
  const { view, vault } = companion;

  async function setHandoff(mailbox: string, patch: Omit<HandoffView, 'mailbox' | 'at'>): Promise<void> {
    view.handoffs.set(mailbox, { mailbox, ...patch, at: Date.now() });
    await view.save();
  }

  async function handOver(mailbox: string): Promise<void> {
    await view.whenReady();
    const held = await vault.get(mailbox);
    if (!held) {
      throw new UserFacingError(
        `Reauth Assist no longer holds the sign-in of ${mailbox} (the browser restarted). Sign in again to hand it ` +
          `over.`,
      );
    }
    const client = await companion.client();
    if (!client) {
      await setHandoff(mailbox, {
        status: 'not-paired',
        error:
          'The companion is not paired yet: open Options > Companion, paste its address and pairing secret. ' +
          'The sign-in is handed over as soon as it is paired.',
      });
      return;
    }
    const plan = buildTokensHandoff(held, (await readServers())[mailbox]);
    if (!plan.ok) {
      await setHandoff(mailbox, {
        status: plan.reason === 'needs-servers' ? 'needs-servers' : 'failed',
        error: plan.detail,
      });
      return;
    }
    await setHandoff(mailbox, { status: 'handing-over' });
    try {
      await client.handOver(mailbox, plan.handoff);
      await setHandoff(mailbox, { status: 'handed-over' });
    } catch (error) {
      await setHandoff(mailbox, { status: 'failed', error: messageOf(error) });
    }
    void companion.poll();
  }

  async function retryWaiting(): Promise<void> {
    await view.whenReady();
    for (const h of [...view.handoffs.values()]) {
      if (h.status === 'not-paired' || h.status === 'failed') await handOver(h.mailbox).catch(() => undefined);
    }
  }

  // The wrong-account guard runs before the vault: what arrives here is the mailbox's own account or a
  // delegate the admin confirmed. Nothing else is ever handed over.
  vault.onPut((held) => void handOver(held.mailbox).catch(() => undefined));

  const codeRedeemer: CodeRedeemer = {
    async obstacle(mailbox, provider) {
      const client = await companion.client();
      if (!client) return unavailable(NOT_PAIRED);
      try {
        // A wrong pairing secret, or a companion that refuses this browser's origin, must stop the flow
        // before a code is spent.
        await client.checkOrigin();
        await client.mailboxes();
      } catch (error) {
        return unavailable(messageOf(error));
      }
      if (provider === 'generic' && !(await readServers())[mailbox]) return refused(needsServers(mailbox).detail);
      return null;
    },
    async redeem(mailbox, request) {
      await view.whenReady();
      const client = await companion.client();
      if (!client) return unavailable(NOT_PAIRED);
      const plan = buildCodeHandoff(mailbox, request, (await readServers())[mailbox]);
      if (!plan.ok) return refused(plan.detail);
      try {
        const { mailbox: state } = await client.handOver(mailbox, plan.handoff);
        await setHandoff(mailbox, { status: 'handed-over' });
        void companion.poll();
        return { ok: true, account: state.account };
      } catch (error) {
        return redemptionFailure(error);
      }
    },
  };

  const { router } = companion.app;
  router.register({ message: companionHandoff, from: 'extension-page', handle: ({ mailbox }) => handOver(mailbox) });
  router.register({
    message: companionServersSave,
    from: 'extension-page',
    handle: async ({ mailbox, servers }) => {
      await browser.storage.local.set({ [COMPANION_SERVERS_KEY]: { ...(await readServers()), [mailbox]: servers } });
      if (await vault.get(mailbox)) return handOver(mailbox);
      if (view.monitored.mailboxes.some((m) => m.address === mailbox)) {
        throw new UserFacingError(
          `Saved. The companion keeps the old servers of ${mailbox} until it is handed over again: sign in to it ` +
            `once more.`,
        );
      }
    },
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && COMPANION_SERVERS_KEY in changes) companion.pages.changed();
  });

  return { codeRedeemer, retryWaiting };
}
