/**
 * The companion feature: pairing, the handoff of a signed-in mailbox's tokens, verification streamed step
 * by step to the popup, and monitoring: the companion's mailbox list polled with browser.alarms (and every
 * few seconds while a popup is open), shown in the popup and counted on the badge even when no helpdesk tab
 * is open, with the outage report fetched when a mailbox comes back.
 *
 * Every companion answer is validated (client.ts); tokens go from the vault to the companion and nowhere
 * else; the pairing secret stays in storage.local and no message answers with it.
 */
import browser from 'webextension-polyfill';
import {
  COMPANION_SERVERS_KEY,
  COMPANION_STATE_PORT,
  companionBadge,
  companionHandoffSchema,
  companionOriginPattern,
  companionPairingForgetSchema,
  companionPairingSaveSchema,
  companionPairingStatusSchema,
  companionRefreshSchema,
  companionServersSaveSchema,
  companionTestSchema,
  companionVerifySchema,
  mergeStep,
  storedMailServersSchema,
  type CompanionPopupState,
  type HandoffView,
  type MailServers,
  type VerifyRunView,
} from '../../../lib/companion-ui';
import type { BackgroundApp } from '../app';
import { route, UserFacingError } from '../router';
import type { TokenVault } from '../signin/token-vault';
import type { CodeRedeemer } from '../signin/types';
import { StatePorts } from '../state-ports';
import { CompanionClient } from './client';
import { redemptionFailure, refused, unavailable } from './code-redemption';
import { buildCodeHandoff, buildTokensHandoff, needsServers } from './handoff';
import { messageOf, PairingStore, testConnection } from './pairing';
import { CompanionViewStore } from './view-store';

const POLL_ALARM = 'companion-poll';
/** The badge follows the companion this often with no popup open. */
const POLL_MINUTES = 1;
/** With a popup open, the countdowns and states follow the companion closely. */
const LIVE_POLL_MS = 5000;

async function readServers(): Promise<Record<string, MailServers>> {
  const parsed = storedMailServersSchema.safeParse((await browser.storage.local.get(COMPANION_SERVERS_KEY))[COMPANION_SERVERS_KEY] ?? {});
  return parsed.success ? parsed.data : {};
}

/** Returns the companion's half of confidential-client sign-ins (the sign-in feature hands it codes). */
export function installCompanion(app: BackgroundApp, vault: TokenVault): CodeRedeemer {
  const pairing = new PairingStore(browser.storage.local);
  const pages = new StatePorts<CompanionPopupState>(COMPANION_STATE_PORT, 'companion-state', snapshot, (connected) => {
    followLive(connected);
    if (connected > 0) void poll();
  });
  const changed = () => pages.changed();
  const view = new CompanionViewStore(browser.storage.session, changed);

  async function snapshot(): Promise<CompanionPopupState> {
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

  async function client(): Promise<CompanionClient | null> {
    const saved = await pairing.read();
    return saved ? new CompanionClient(saved) : null;
  }

  // ---------------------------------------------------------------------------------------------- monitoring

  let polling: Promise<void> | null = null;
  function poll(): Promise<void> {
    polling ??= pollOnce().finally(() => (polling = null));
    return polling;
  }

  async function pollOnce(): Promise<void> {
    await view.whenReady();
    const companion = await client();
    if (!companion) {
      view.monitored = { fetchedAt: null, clockOffsetMs: 0, mailboxes: [], error: null };
      await showBadge();
      await view.save();
      return;
    }
    try {
      const sentAt = Date.now();
      const list = await companion.mailboxes();
      const receivedAt = Date.now();
      view.monitored = {
        fetchedAt: receivedAt,
        // The companion's clock read half-way through the request.
        clockOffsetMs: Date.parse(list.serverTime) - (sentAt + receivedAt) / 2,
        mailboxes: list.mailboxes,
        error: null,
      };
      for (const mailbox of list.mailboxes) {
        if (mailbox.outageReportAt === null || view.reports.get(mailbox.address)?.createdAt === mailbox.outageReportAt) continue;
        const report = await companion.outageReport(mailbox.address);
        if (report) view.reports.set(mailbox.address, report);
      }
      const known = new Set(list.mailboxes.map((m) => m.address));
      for (const address of view.reports.keys()) if (!known.has(address)) view.reports.delete(address);
    } catch (error) {
      view.monitored = { ...view.monitored, error: messageOf(error) };
    }
    await showBadge();
    await view.save();
  }

  async function showBadge(): Promise<void> {
    const { text, title } = companionBadge(view.monitored.mailboxes);
    const unreachable = view.monitored.error !== null && view.monitored.fetchedAt !== null;
    // No tabId: the global badge. Helpdesk tabs show their own count over it (badge-feature sets it per tab).
    await browser.action.setBadgeText({ text }).catch(() => undefined);
    await browser.action.setTitle({ title: unreachable ? `${title} (last known: the companion does not answer now)` : title }).catch(() => undefined);
  }

  let livePoll: ReturnType<typeof setInterval> | undefined;
  function followLive(connected: number): void {
    if (connected > 0 && livePoll === undefined) livePoll = setInterval(() => void poll(), LIVE_POLL_MS);
    if (connected === 0 && livePoll !== undefined) {
      clearInterval(livePoll);
      livePoll = undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------- handoff

  async function setHandoff(mailbox: string, patch: Omit<HandoffView, 'mailbox' | 'at'>): Promise<void> {
    view.handoffs.set(mailbox, { mailbox, ...patch, at: Date.now() });
    await view.save();
  }

  async function handOver(mailbox: string): Promise<void> {
    await view.whenReady();
    const held = await vault.get(mailbox);
    if (!held) {
      throw new UserFacingError(`Reauth Assist no longer holds the sign-in of ${mailbox} (the browser restarted). Sign in again to hand it over.`);
    }
    const companion = await client();
    if (!companion) {
      await setHandoff(mailbox, {
        status: 'not-paired',
        error: 'The companion is not paired yet: open Options > Companion, paste its address and pairing secret. The sign-in is handed over as soon as it is paired.',
      });
      return;
    }
    const plan = buildTokensHandoff(held, (await readServers())[mailbox]);
    if (!plan.ok) {
      await setHandoff(mailbox, { status: plan.reason === 'needs-servers' ? 'needs-servers' : 'failed', error: plan.detail });
      return;
    }
    await setHandoff(mailbox, { status: 'handing-over' });
    try {
      await companion.handOver(mailbox, plan.handoff);
      await setHandoff(mailbox, { status: 'handed-over' });
    } catch (error) {
      await setHandoff(mailbox, { status: 'failed', error: messageOf(error) });
    }
    void poll();
  }

  /** Sign-ins waiting for a pairing (or a companion that was down) go over once it works. */
  async function retryWaitingHandoffs(): Promise<void> {
    await view.whenReady();
    for (const h of [...view.handoffs.values()]) {
      if (h.status === 'not-paired' || h.status === 'failed') await handOver(h.mailbox).catch(() => undefined);
    }
  }

  // The wrong-account guard runs before the vault: what arrives here is the mailbox's own account or a
  // delegate the admin confirmed. Nothing else is ever handed over.
  vault.onPut((held) => void handOver(held.mailbox).catch(() => undefined));

  const NOT_PAIRED = 'The companion is not paired: Options > Companion, paste its address and pairing secret.';
  const codeRedeemer: CodeRedeemer = {
    async obstacle(mailbox, provider) {
      const companion = await client();
      if (!companion) return unavailable(NOT_PAIRED);
      try {
        // A wrong pairing secret, or a companion that refuses this browser's origin, must stop the flow
        // before a code is spent.
        await companion.checkOrigin();
        await companion.mailboxes();
      } catch (error) {
        return unavailable(messageOf(error));
      }
      if (provider === 'generic' && !(await readServers())[mailbox]) return refused(needsServers(mailbox).detail);
      return null;
    },
    async redeem(mailbox, request) {
      await view.whenReady();
      const companion = await client();
      if (!companion) return unavailable(NOT_PAIRED);
      const plan = buildCodeHandoff(mailbox, request, (await readServers())[mailbox]);
      if (!plan.ok) return refused(plan.detail);
      try {
        const { mailbox: state } = await companion.handOver(mailbox, plan.handoff);
        await setHandoff(mailbox, { status: 'handed-over' });
        void poll();
        return { ok: true, account: state.account };
      } catch (error) {
        return redemptionFailure(error);
      }
    },
  };

  // ---------------------------------------------------------------------------------------------- verify

  async function setRun(run: VerifyRunView): Promise<void> {
    view.runs.set(run.mailbox, run);
    await view.save();
  }

  async function verify(mailbox: string, roundTrip: boolean): Promise<void> {
    const companion = await client();
    if (!companion) throw new UserFacingError('Pair the companion first: Options > Companion.');
    let run: VerifyRunView = { mailbox, status: 'running', roundTrip, steps: [], startedAt: Date.now() };
    await setRun(run);
    try {
      await companion.verify(mailbox, { roundTrip }, (line) => {
        if (line.type === 'step') run = { ...run, steps: mergeStep(run.steps, line.step) };
        else if (line.type === 'verdict') run = { ...run, status: 'done', steps: line.verdict.steps, verdict: line.verdict };
        else run = { ...run, status: 'error', error: line.error.hint ? `${line.error.message} ${line.error.hint}` : line.error.message };
        void setRun(run);
      });
    } catch (error) {
      run = { ...run, status: 'error', error: messageOf(error) };
      await setRun(run);
    }
    void poll();
  }

  // ---------------------------------------------------------------------------------------------- wiring

  pages.listen(browser.runtime, app.router);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && COMPANION_SERVERS_KEY in changes) changed();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void poll();
  });
  void browser.alarms.get(POLL_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(POLL_ALARM, { periodInMinutes: POLL_MINUTES, delayInMinutes: POLL_MINUTES });
  });
  // A fresh worker shows the badge from the companion's current list, not from nothing.
  void poll();

  const { router } = app;
  router.register(route({ kind: 'companion-pairing-status', schema: companionPairingStatusSchema, from: 'extension-page', handle: () => pairing.status() }));
  router.register(
    route({
      kind: 'companion-pairing-save',
      schema: companionPairingSaveSchema,
      from: 'extension-page',
      handle: async ({ url, secret }) => {
        const kept = secret ?? (await pairing.read())?.secret;
        if (!kept) throw new UserFacingError('Paste the pairing secret the companion printed at its first start.');
        await pairing.save({ url, secret: kept });
        changed();
        void poll().then(retryWaitingHandoffs);
        return pairing.status();
      },
    }),
  );
  router.register(
    route({
      kind: 'companion-pairing-forget',
      schema: companionPairingForgetSchema,
      from: 'extension-page',
      handle: async () => {
        await pairing.forget();
        await poll();
        return pairing.status();
      },
    }),
  );
  router.register(
    route({
      kind: 'companion-test',
      schema: companionTestSchema,
      from: 'extension-page',
      handle: async ({ url, secret }) => {
        const saved = await pairing.read();
        const hostAccess = await browser.permissions.contains({ origins: [companionOriginPattern(url)] });
        return testConnection(url, secret ?? saved?.secret, { hostAccess });
      },
    }),
  );
  router.register(
    route({ kind: 'companion-handoff', schema: companionHandoffSchema, from: 'extension-page', handle: ({ mailbox }) => handOver(mailbox) }),
  );
  router.register(
    route({
      kind: 'companion-verify',
      schema: companionVerifySchema,
      from: 'extension-page',
      handle: async ({ mailbox, roundTrip }) => {
        await view.whenReady();
        if (view.runs.get(mailbox)?.status === 'running') throw new UserFacingError(`A verification of ${mailbox} is already running.`);
        // Not awaited: the popup may close; the steps land in the view and reach it when it opens again.
        void verify(mailbox, roundTrip);
      },
    }),
  );
  router.register(
    route({
      kind: 'companion-servers-save',
      schema: companionServersSaveSchema,
      from: 'extension-page',
      handle: async ({ mailbox, servers }) => {
        await browser.storage.local.set({ [COMPANION_SERVERS_KEY]: { ...(await readServers()), [mailbox]: servers } });
        if (await vault.get(mailbox)) return handOver(mailbox);
        if (view.monitored.mailboxes.some((m) => m.address === mailbox)) {
          throw new UserFacingError(`Saved. The companion keeps the old servers of ${mailbox} until it is handed over again: sign in to it once more.`);
        }
      },
    }),
  );
  router.register(route({ kind: 'companion-refresh', schema: companionRefreshSchema, from: 'extension-page', handle: () => poll() }));
  return codeRedeemer;
}
