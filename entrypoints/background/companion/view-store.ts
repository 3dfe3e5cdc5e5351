/**
 * What the popup shows about the companion, kept in worker memory and mirrored to storage.session, so a
 * popup opened later, or a worker restarted, still shows the last handoffs, verifications, monitored states
 * and outage reports. No token and no pairing secret is ever put here.
 */
import type browser from 'webextension-polyfill';
import type { OutageReportResponse } from '../../../lib/companion-api';
import type { HandoffView, MonitoredView, VerifyRunView } from '../../../lib/companion-ui';
import type { SessionArea } from '../tab-state';

const SESSION_KEY = 'companionView';

interface Stored {
  handoffs: HandoffView[];
  runs: VerifyRunView[];
  reports: OutageReportResponse[];
  monitored: MonitoredView;
}

/**
 * Calls `listener` with each newly fetched monitored list, as it is mirrored to storage.session: the hook
 * other features (desktop alerts) read the companion's mailbox states by, without reaching into this one.
 */
export function onMonitoredFetched(
  storage: Pick<typeof browser.storage, 'onChanged'>,
  listener: (monitored: MonitoredView) => void,
): void {
  storage.onChanged.addListener((changes, area) => {
    const change = area === 'session' ? changes[SESSION_KEY] : undefined;
    const next = (change?.newValue as Partial<Stored> | undefined)?.monitored;
    const before = (change?.oldValue as Partial<Stored> | undefined)?.monitored;
    if (next && next.fetchedAt !== before?.fetchedAt) listener(next);
  });
}

export const EMPTY_MONITORED: MonitoredView = { fetchedAt: null, clockOffsetMs: 0, mailboxes: [], error: null };

export class CompanionViewStore {
  readonly handoffs = new Map<string, HandoffView>();
  readonly runs = new Map<string, VerifyRunView>();
  readonly reports = new Map<string, OutageReportResponse>();
  monitored: MonitoredView = EMPTY_MONITORED;
  private readonly ready: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: SessionArea,
    private readonly changed: () => void,
  ) {
    this.ready = this.restore();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** A verification that was running when the worker stopped can never finish: say so. */
  private async restore(): Promise<void> {
    const stored = (await this.session.get(SESSION_KEY))[SESSION_KEY] as Partial<Stored> | undefined;
    if (!stored) return;
    for (const h of stored.handoffs ?? []) if (!this.handoffs.has(h.mailbox)) this.handoffs.set(h.mailbox, h.status === 'handing-over' ? { ...h, status: 'failed', error: 'The handoff was interrupted (the browser stopped Reauth Assist\'s background). Hand it over again.' } : h);
    for (const r of stored.runs ?? []) {
      if (this.runs.has(r.mailbox)) continue;
      this.runs.set(r.mailbox, r.status === 'running' ? { ...r, status: 'error', error: 'The verification was interrupted (the browser stopped Reauth Assist\'s background). Verify again.' } : r);
    }
    for (const report of stored.reports ?? []) if (!this.reports.has(report.address)) this.reports.set(report.address, report);
    if (stored.monitored && this.monitored === EMPTY_MONITORED) this.monitored = stored.monitored;
  }

  /** Call after changing any part: mirrors to storage.session (in order) and tells the popup. */
  save(): Promise<void> {
    this.changed();
    const snapshot: Stored = {
      handoffs: [...this.handoffs.values()],
      runs: [...this.runs.values()],
      reports: [...this.reports.values()],
      monitored: this.monitored,
    };
    this.writing = this.writing.then(() => this.session.set({ [SESSION_KEY]: snapshot })).catch(() => undefined);
    return this.writing;
  }
}
