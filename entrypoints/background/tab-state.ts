/**
 * The latest picture of every helpdesk tab, as its content script last reported it; a tab's picture is
 * dropped when the tab closes or loads a new document.
 *
 * Reports are whole pictures (never deltas), so a report simply replaces the tab's state. The map is mirrored
 * into `storage.session` because an MV3 worker is stopped when idle and must come back knowing what the
 * open tabs showed; it holds page facts only (addresses, statuses), never a token.
 *
 * Free of browser APIs (the storage area is passed in) so the transitions are unit-tested.
 */
import { z } from 'zod';
import { tabStateSchema, type PageReport, type TabState } from '../../lib/messages';

export const TAB_STATE_KEY = 'tab-state';

/** The part of `storage.session` this store uses. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface TabInfo {
  title: string;
  /** The tab's URL as the browser knows it (trusted; the report's own url is not). */
  url: string;
}

export type TabStateListener = (tabId: number, state: TabState | undefined) => void;

const storedSchema = z.object({ version: z.literal(1), tabs: z.array(tabStateSchema) });

export class TabStateStore {
  private readonly tabs = new Map<number, TabState>();
  private readonly listeners = new Set<TabStateListener>();
  private writes: Promise<void> = Promise.resolve();
  readonly ready: Promise<void>;

  constructor(private readonly area: SessionArea) {
    this.ready = this.load();
  }

  subscribe(listener: TabStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async all(): Promise<TabState[]> {
    await this.ready;
    return [...this.tabs.values()].sort((a, b) => a.tabId - b.tabId);
  }

  async get(tabId: number): Promise<TabState | undefined> {
    await this.ready;
    return this.tabs.get(tabId);
  }

  async applyReport(tabId: number, tab: TabInfo, report: PageReport, now: number): Promise<TabState> {
    await this.ready;
    const state: TabState = {
      tabId,
      title: tab.title,
      url: tab.url,
      helpdesk: report.helpdesk,
      bannerPresent: report.bannerPresent,
      mailboxes: report.mailboxes,
      updatedAt: now,
    };
    this.tabs.set(tabId, state);
    await this.changed(tabId);
    return state;
  }

  async forget(tabId: number): Promise<boolean> {
    await this.ready;
    if (!this.tabs.delete(tabId)) return false;
    await this.changed(tabId);
    return true;
  }

  async retitle(tabId: number, title: string): Promise<void> {
    await this.ready;
    const state = this.tabs.get(tabId);
    if (state === undefined || state.title === title) return;
    this.tabs.set(tabId, { ...state, title });
    await this.changed(tabId);
  }

  /** Drop tabs that closed while the worker was not running. */
  async keepOnly(openTabIds: ReadonlySet<number>): Promise<void> {
    await this.ready;
    for (const tabId of [...this.tabs.keys()]) {
      if (!openTabIds.has(tabId)) await this.forget(tabId);
    }
  }

  private async load(): Promise<void> {
    const stored = storedSchema.safeParse((await this.area.get(TAB_STATE_KEY))[TAB_STATE_KEY]);
    if (!stored.success) return;
    for (const tab of stored.data.tabs) this.tabs.set(tab.tabId, tab);
  }

  private async changed(tabId: number): Promise<void> {
    const snapshot = { [TAB_STATE_KEY]: { version: 1, tabs: [...this.tabs.values()] } };
    // Writes are chained so an older picture can never land after a newer one.
    this.writes = this.writes
      .then(() => this.area.set(snapshot))
      .catch((error: unknown) => {
        // Quota or a stopped context: the in-memory picture stays right, only a worker restart would lose it.
        console.warn('Reauth Assist: could not save tab state to storage.session:', String(error));
      });
    const state = this.tabs.get(tabId);
    for (const listener of this.listeners) listener(tabId, state);
    await this.writes;
  }
}

export function affectedCount(state: TabState | undefined): number {
  return state?.mailboxes.filter((mailbox) => mailbox.state === 'needs-reauth').length ?? 0;
}
