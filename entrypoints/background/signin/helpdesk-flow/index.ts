/**
 * The account picker on the helpdesk's own sign-in. The content script notices the admin starting a
 * reauthorization from a marked row (reauth-intent.ts); this feature then adds declarativeNetRequest session
 * rules that put `prompt=select_account` (and `login_hint` where the provider honours it) on the helpdesk's
 * authorize request, in that tab and in a sign-in popup it opens. The rules go as soon as the provider's page
 * was reached (they did their one job), when the flow ends, or after PICKER_RULE_LIFETIME_MS. When the flow
 * comes back, the row's next picture decides: fixed (history: "reauthorized in the helpdesk") or still broken
 * (the mark says so and offers the guided sign-out, the fallback wherever rules cannot help).
 */
import browser from 'webextension-polyfill';
import {
  BUILT_IN_ENDPOINTS,
  genericEndpoint,
  HELPDESK_PICKER_SETTINGS_KEY,
  MARK_NOTICE_KIND,
  MARK_NOTICE_TEXT,
  onProviderHost,
  PRESS_ROW_CONTROL_KIND,
  parseHelpdeskPickerSettings,
  PICKER_PERMISSION_REASON,
  PICKER_RULE_LIFETIME_MS,
  pickerRules,
  prearmedHint,
  type MarkNotice,
  type MarkNoticeRequest,
  type PickerEndpoint,
  type PressRowControlRequest,
} from '../../../../lib/helpdesk-picker';
import {
  helpdeskGuideStart,
  helpdeskPickerSet,
  helpdeskPickerStatus,
  helpdeskReauthorize,
  reauthIntent,
  type HelpdeskPickerStatus,
  type ReauthIntentReply,
} from '../../../../lib/helpdesk-picker-messages';
import { parseSigninSettings, SIGNIN_SETTINGS_KEY } from '../../../../lib/signin';
import { messageFor } from '../../../../lib/message-contract';
import { rescanPage } from '../../../../lib/messages';
import { HistoryDatabase, recordReauthorizedInHelpdesk } from '../../history';
import { UserFacingError } from '../../router';
import type { TabState } from '../../../../lib/messages';
import type { SigninShared } from '../shared';
import { replaceSessionRules, sessionRuleIds, sessionRulesSupported } from './dnr';
import { IntentStore, type PickerIntent } from './intents';

const ALARM_PREFIX = 'helpdesk-picker:';
/** After the flow returns, the page reloads or re-renders: its picture settles before it is believed. */
const SETTLE_MS = 1500;

async function readSettings() {
  const stored = await browser.storage.local.get(HELPDESK_PICKER_SETTINGS_KEY);
  return parseHelpdeskPickerSettings(stored[HELPDESK_PICKER_SETTINGS_KEY]);
}

/** Built-in providers and the authorize hosts of the generic providers set up in Options. */
async function allEndpoints(): Promise<PickerEndpoint[]> {
  const settings = parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
  const generic = settings.generic
    .map((g) => genericEndpoint(g.authorizeUrl))
    .filter((e): e is PickerEndpoint => e !== null);
  return [...BUILT_IN_ENDPOINTS, ...generic];
}

async function openTabIds(): Promise<number[]> {
  return (await browser.tabs.query({})).map((t) => t.id).filter((id): id is number => id !== undefined);
}

async function grantedEndpoints(): Promise<PickerEndpoint[]> {
  const endpoints = await allEndpoints();
  const granted = await Promise.all(endpoints.map((e) => browser.permissions.contains({ origins: [e.origin] })));
  return endpoints.filter((_, i) => granted[i]);
}

export function installHelpdeskFlowPicker(shared: SigninShared): void {
  const { app, guide } = shared;
  const intents = new IntentStore(browser.storage.session);
  const history = new HistoryDatabase();
  const settleTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** What each tab's rules were written for before any press (rules are rewritten only when it changes). */
  const prearmedFor = new Map<number, string>();
  let arming: Promise<unknown> = Promise.resolve();

  async function notify(tabId: number, address: string, notice: MarkNotice | null): Promise<void> {
    const text = notice && MARK_NOTICE_TEXT[notice];
    const request: MarkNoticeRequest = { kind: MARK_NOTICE_KIND, address, notice, text };
    await browser.tabs.sendMessage(tabId, request, { frameId: 0 }).catch(() => undefined);
  }

  async function writeRules(
    intent: PickerIntent,
    endpoints: PickerEndpoint[],
    existingTabs: number[],
  ): Promise<PickerIntent> {
    const others = existingTabs.filter((id) => id !== intent.tabId);
    const scope = {
      tabIds: [intent.tabId, ...intent.popupTabIds],
      popupsFrom: { initiator: new URL(intent.origin).hostname, existingTabs: others },
    };
    const planned = pickerRules(endpoints, intent.address, scope, 0);
    const first = await intents.ruleIds(planned.length);
    const rules = planned.map((rule, i) => ({ ...rule, id: first + i }));
    await replaceSessionRules(intent.ruleIds, rules);
    return { ...intent, ruleIds: rules.map((r) => r.id) };
  }

  async function dropRules(intent: PickerIntent): Promise<PickerIntent> {
    if (intent.ruleIds.length > 0) await replaceSessionRules(intent.ruleIds, []).catch(() => undefined);
    return { ...intent, ruleIds: [] };
  }

  async function end(tabId: number): Promise<void> {
    const intent = await intents.remove(tabId);
    clearTimeout(settleTimers.get(tabId));
    settleTimers.delete(tabId);
    if (intent) await dropRules(intent);
    await browser.alarms.clear(`${ALARM_PREFIX}${tabId}`);
  }

  /**
   * The admin started a reauthorization from a marked row. Where rules can be written, they are; either way the
   * flow is followed, so its return is judged and a row left broken offers the guided sign-out.
   */
  async function arm(tabId: number, candidates: string[]): Promise<ReauthIntentReply> {
    // Asked all at once: the click's navigation is on its way, and the rules must be in place before it.
    const [state, endpoints, settings, existingTabs] = await Promise.all([
      app.tabs.get(tabId),
      grantedEndpoints(),
      readSettings(),
      openTabIds(),
    ]);
    const mailbox = state?.mailboxes.find((m) => m.state === 'needs-reauth' && candidates.includes(m.address));
    if (!state || !mailbox) return { armed: false, reason: 'not-marked' };
    const reason = !settings.enabled
      ? 'disabled'
      : !sessionRulesSupported()
        ? 'unsupported'
        : endpoints.length === 0
          ? 'no-permission'
          : null;
    const previous = await intents.forTab(tabId);
    let intent: PickerIntent = {
      tabId,
      popupTabIds: [],
      address: mailbox.address,
      origin: new URL(state.url).origin,
      pageUrl: state.url,
      // The tab's own rules (a previous press, or those it had while it showed the row) are replaced.
      ruleIds: [...(previous?.tabId === tabId ? previous.ruleIds : []), ...(await intents.prearmedRules(tabId))],
      atProvider: false,
      expiresAt: Date.now() + PICKER_RULE_LIFETIME_MS,
    };
    if (reason === null) {
      intent = await writeRules(intent, endpoints, existingTabs);
    } else {
      intent = await dropRules(intent);
    }
    await intents.put(intent);
    prearmedFor.delete(tabId);
    await intents.setPrearmed(tabId, []);
    await browser.alarms.create(`${ALARM_PREFIX}${tabId}`, { when: intent.expiresAt });
    void notify(tabId, mailbox.address, reason === 'no-permission' ? 'no-permission' : null);
    return reason === null ? { armed: true, address: mailbox.address } : { armed: false, reason };
  }

  /** The row's picture after the flow came back decides what the mark and the history say. */
  async function judge(intent: PickerIntent): Promise<boolean> {
    const state = await app.tabs.get(intent.tabId);
    const mailbox = state?.mailboxes.find((m) => m.address === intent.address);
    if (!mailbox) return false;
    await end(intent.tabId);
    if (mailbox.state === 'connected') {
      await recordReauthorizedInHelpdesk(history, intent.origin, intent.address, Date.now());
      app.view.changed();
      await notify(intent.tabId, intent.address, 'reauthorized');
    } else {
      await notify(intent.tabId, intent.address, 'still-needs-reauth');
    }
    return true;
  }

  async function returned(intent: PickerIntent): Promise<void> {
    if (intent.returnedAt !== undefined) return;
    const back = { ...(await dropRules(intent)), returnedAt: Date.now() };
    await intents.put(back);
    // The page may not reload by itself (a popup flow that only posts a message): look at it again.
    await browser.tabs.sendMessage(intent.tabId, messageFor(rescanPage), { frameId: 0 }).catch(() => undefined);
    clearTimeout(settleTimers.get(intent.tabId));
    settleTimers.set(
      intent.tabId,
      setTimeout(() => void intents.forTab(intent.tabId).then((now) => now && judge(now)), SETTLE_MS),
    );
  }

  browser.webNavigation.onCommitted.addListener((details) => {
    if (details.frameId !== 0) return;
    void (async () => {
      const intent = await intents.forTab(details.tabId);
      if (!intent || intent.returnedAt !== undefined) return;
      if (onProviderHost(details.url, await allEndpoints())) {
        // The request carried the picker (the rules act before the page commits): they have done their job,
        // and the provider's own later requests (its account picker posting back) are left alone.
        if (!intent.atProvider) await intents.put({ ...(await dropRules(intent)), atProvider: true });
      } else if (intent.atProvider || details.transitionQualifiers.includes('server_redirect')) {
        // Back from the provider's pages, or a redirect chain through it that never stopped there (a silent
        // sign-in: the trap itself), landing on the helpdesk again.
        await returned(intent);
      }
    })();
  });
  browser.webNavigation.onCreatedNavigationTarget.addListener((details) => {
    void (async () => {
      const intent = await intents.forTab(details.sourceTabId);
      if (!intent || intent.returnedAt !== undefined || intent.popupTabIds.includes(details.tabId)) return;
      const next = { ...intent, popupTabIds: [...intent.popupTabIds, details.tabId] };
      if (intent.ruleIds.length === 0 || intent.atProvider) return intents.put(next);
      const existing = await openTabIds();
      await intents.put(await writeRules(next, await grantedEndpoints(), existing));
    })();
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void (async () => {
      const intent = await intents.forTab(tabId);
      if (!intent) return;
      if (intent.tabId === tabId) return end(tabId);
      // The sign-in popup closed: back from the provider, or given up on. Either way the row tells.
      await returned(intent);
    })();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name.startsWith(ALARM_PREFIX)) void end(Number(alarm.name.slice(ALARM_PREFIX.length)));
  });
  /**
   * While a tab shows a mailbox that needs reauthorization, it carries the picker rule already (with a hint only
   * where one mailbox of that provider is broken), so a press faster than the worker can answer never slips
   * through silently. The press itself adds the row's hint, a popup's scope and the return tracking.
   */
  async function prearm(tabId: number, state: TabState | undefined): Promise<void> {
    if (await intents.forTab(tabId)) return;
    const current = await intents.prearmedRules(tabId);
    const showsBroken = state?.mailboxes.some((m) => m.state === 'needs-reauth') ?? false;
    const wanted = showsBroken && sessionRulesSupported() && (await readSettings()).enabled;
    if (!wanted) {
      prearmedFor.delete(tabId);
      if (current.length > 0) await replaceSessionRules(current, []).catch(() => undefined);
      return intents.setPrearmed(tabId, []);
    }
    const endpoints = await grantedEndpoints();
    if (endpoints.length === 0) return;
    const hintFor = (endpoint: PickerEndpoint) => prearmedHint(state?.mailboxes ?? [], endpoint);
    const key = JSON.stringify(endpoints.map((e) => [e.origin, hintFor(e)]));
    if (current.length > 0 && prearmedFor.get(tabId) === key) return;
    const planned = pickerRules(endpoints, hintFor, { tabIds: [tabId] }, 0);
    const first = await intents.ruleIds(planned.length);
    const rules = planned.map((rule, i) => ({ ...rule, id: first + i }));
    await replaceSessionRules(current, rules);
    prearmedFor.set(tabId, key);
    await intents.setPrearmed(
      tabId,
      rules.map((r) => r.id),
    );
  }
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = arming.then(work);
    arming = next.catch(() => undefined);
    return next;
  };

  /** The switch or the permissions changed: every helpdesk tab's rules follow. */
  const prearmAll = async () => {
    for (const state of await app.tabs.all()) await serially(() => prearm(state.tabId, state)).catch(() => undefined);
  };
  browser.permissions.onAdded.addListener(() => void prearmAll());
  browser.permissions.onRemoved.addListener(
    () =>
      void (async () => {
        for (const state of await app.tabs.all()) {
          await serially(async () => {
            const current = await intents.prearmedRules(state.tabId);
            if (current.length > 0) await replaceSessionRules(current, []).catch(() => undefined);
            prearmedFor.delete(state.tabId);
            await intents.setPrearmed(state.tabId, []);
          });
        }
        await prearmAll();
      })(),
  );

  app.tabs.subscribe((tabId, state) => {
    void serially(() => prearm(tabId, state)).catch(() => undefined);
    if (state === undefined) return;
    void intents.forTab(tabId).then((intent) => {
      const settled = intent?.returnedAt !== undefined && Date.now() - intent.returnedAt >= SETTLE_MS;
      if (intent?.tabId === tabId && settled) void judge(intent);
    });
  });
  // A worker that starts again: rules whose intent is gone (or expired while it slept) are removed.
  void (async () => {
    const kept = new Set<number>(await intents.allPrearmed());
    for (const intent of await intents.all()) {
      if (intent.expiresAt <= Date.now()) await end(intent.tabId);
      else {
        for (const id of intent.ruleIds) kept.add(id);
      }
    }
    const stale = (await sessionRuleIds()).filter((id) => id >= 120_000 && !kept.has(id));
    if (stale.length > 0) await replaceSessionRules(stale, []).catch(() => undefined);
  })();

  async function status(): Promise<HelpdeskPickerStatus> {
    const settings = await readSettings();
    const origins = [...new Set((await allEndpoints()).map((e) => e.origin))];
    return {
      ...settings,
      origins,
      granted: await browser.permissions.contains({ origins }),
      supported: sessionRulesSupported(),
      reason: PICKER_PERMISSION_REASON,
    };
  }

  const { router } = app;
  router.register({
    message: reauthIntent,
    from: 'content-script',
    // One at a time: two presses in quick succession must not both write rules and lose track of one set.
    handle: ({ candidates }, { sender }) => serially(() => arm(sender.tab!.id!, candidates)),
  });
  router.register({
    message: helpdeskReauthorize,
    from: 'extension-page',
    // The popup's "Reauthorize in <helpdesk>": the same as a press on the row, started from the list.
    handle: async ({ tabId, address }) => {
      const state = await app.tabs.get(tabId);
      if (!state?.mailboxes.some((m) => m.address === address && m.state === 'needs-reauth')) {
        throw new UserFacingError(`${address} no longer needs reauthorization in that tab. Reload the helpdesk page.`);
      }
      const reply = await serially(() => arm(tabId, [address]));
      const tab = await browser.tabs.update(tabId, { active: true });
      if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
      const press: PressRowControlRequest = { kind: PRESS_ROW_CONTROL_KIND, address };
      const answer = (await browser.tabs.sendMessage(tabId, press, { frameId: 0 }).catch(() => null)) as {
        ok?: unknown;
      } | null;
      return { armed: reply.armed, pressed: answer?.ok === true };
    },
  });
  router.register({
    message: helpdeskGuideStart,
    from: 'content-script',
    handle: async ({ address }, { sender }) => {
      const state = await app.tabs.get(sender.tab!.id!);
      if (!state?.mailboxes.some((m) => m.address === address)) {
        throw new UserFacingError(`${address} is not listed on this page.`);
      }
      await guide.start(address, state.url);
      // Opening the popup from a click in the page's mark may be refused: the mark's words say where the guide is.
      await (browser.action as { openPopup?: () => Promise<void> }).openPopup?.().catch(() => undefined);
    },
  });
  router.register({ message: helpdeskPickerStatus, from: 'extension-page', handle: () => status() });
  router.register({
    message: helpdeskPickerSet,
    from: 'extension-page',
    handle: async (change) => {
      const next = {
        ...(await readSettings()),
        ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        ...(change.asked !== undefined ? { asked: change.asked } : {}),
      };
      await browser.storage.local.set({ [HELPDESK_PICKER_SETTINGS_KEY]: next });
      if (!next.enabled) for (const intent of await intents.all()) await end(intent.tabId);
      await prearmAll();
      return status();
    },
  });
}
