/**
 * Reauthorizations the admin started from a marked row, one per helpdesk tab, kept in storage.session so a
 * worker stopped mid-flow still knows which rules are its own and when they expire.
 */
import type { Storage } from 'webextension-polyfill';

export interface PickerIntent {
  tabId: number;
  /** The sign-in popups the tab opened since. */
  popupTabIds: number[];
  address: string;
  /** The helpdesk page's origin (its history key) and address (the guide opens it). */
  origin: string;
  pageUrl: string;
  ruleIds: number[];
  /** The admin reached the provider's pages in the tab or its popup. */
  atProvider: boolean;
  /** The flow came back to the helpdesk (or its popup closed): the row's next picture decides. */
  returnedAt?: number;
  expiresAt: number;
}

const SESSION_KEY = 'helpdeskPickerIntents';
const COUNTER_KEY = 'helpdeskPickerNextRuleId';
/** Rule ids of this feature start here (session rule ids are per extension; one range keeps them apart). */
const FIRST_RULE_ID = 120_000;

export class IntentStore {
  private readonly intents = new Map<number, PickerIntent>();
  private nextRuleId = FIRST_RULE_ID;
  private readonly ready: Promise<void>;

  constructor(private readonly session: Storage.StorageArea) {
    this.ready = this.restore();
  }

  private async restore(): Promise<void> {
    const stored = await this.session.get([SESSION_KEY, COUNTER_KEY]);
    if (Array.isArray(stored[SESSION_KEY])) {
      for (const intent of stored[SESSION_KEY] as PickerIntent[]) {
        if (!this.intents.has(intent.tabId)) this.intents.set(intent.tabId, intent);
      }
    }
    if (typeof stored[COUNTER_KEY] === 'number') this.nextRuleId = Math.max(this.nextRuleId, stored[COUNTER_KEY]);
  }

  private async persist(): Promise<void> {
    await this.session.set({ [SESSION_KEY]: [...this.intents.values()], [COUNTER_KEY]: this.nextRuleId });
  }

  async ruleIds(count: number): Promise<number> {
    await this.ready;
    const first = this.nextRuleId;
    this.nextRuleId += count;
    // Far from overflow in any session; wrap to the start if it ever got there.
    if (this.nextRuleId > 2_000_000_000) this.nextRuleId = FIRST_RULE_ID;
    return first;
  }

  async all(): Promise<PickerIntent[]> {
    await this.ready;
    return [...this.intents.values()];
  }

  /** The intent whose tab or sign-in popup `tabId` is. */
  async forTab(tabId: number): Promise<PickerIntent | undefined> {
    await this.ready;
    return this.intents.get(tabId) ?? [...this.intents.values()].find((i) => i.popupTabIds.includes(tabId));
  }

  async put(intent: PickerIntent): Promise<void> {
    await this.ready;
    this.intents.set(intent.tabId, intent);
    await this.persist();
  }

  async remove(tabId: number): Promise<PickerIntent | undefined> {
    await this.ready;
    const intent = this.intents.get(tabId);
    if (intent && this.intents.delete(tabId)) await this.persist();
    return intent;
  }
}
