/**
 * The sign-in flows the popup shows (one per mailbox, the latest), kept in worker memory and storage.session
 * so a popup opened later, or a worker restarted, still knows how each ended. Views only: no token here.
 */
import type { Storage } from 'webextension-polyfill';
import type { FlowView } from '../../../lib/signin';

const SESSION_KEY = 'signinFlows';
const RUNNING: ReadonlySet<FlowView['step']> = new Set(['opening', 'waiting', 'checking']);
const KEEP = 30;

export class FlowStore {
  private readonly flows = new Map<string, FlowView>();
  private readonly ready: Promise<void>;

  constructor(
    private readonly session: Storage.StorageArea,
    private readonly changed: () => void,
  ) {
    this.ready = this.restore();
  }

  /** A flow that was running when the worker stopped can never finish: say so instead of spinning forever. */
  private async restore(): Promise<void> {
    const stored = (await this.session.get(SESSION_KEY))[SESSION_KEY];
    if (!Array.isArray(stored)) return;
    for (const flow of stored as FlowView[]) {
      if (this.flows.has(flow.id)) continue;
      this.flows.set(
        flow.id,
        RUNNING.has(flow.step)
          ? { ...flow, step: 'error', error: { id: 'interrupted' }, finishedAt: Date.now() }
          : flow,
      );
    }
  }

  private async persist(): Promise<void> {
    const kept = [...this.flows.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, KEEP);
    await this.session.set({ [SESSION_KEY]: kept });
    this.changed();
  }

  async list(): Promise<FlowView[]> {
    await this.ready;
    return [...this.flows.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  async get(id: string): Promise<FlowView | undefined> {
    await this.ready;
    return this.flows.get(id);
  }

  async running(): Promise<FlowView | undefined> {
    await this.ready;
    return [...this.flows.values()].find((f) => RUNNING.has(f.step));
  }

  /** A new flow replaces the mailbox's previous one. */
  async start(flow: FlowView): Promise<void> {
    await this.ready;
    for (const [id, old] of this.flows) if (old.mailbox === flow.mailbox) this.flows.delete(id);
    this.flows.set(flow.id, flow);
    await this.persist();
  }

  async update(id: string, patch: Partial<FlowView>): Promise<FlowView | undefined> {
    await this.ready;
    const flow = this.flows.get(id);
    if (!flow) return undefined;
    const next = { ...flow, ...patch };
    this.flows.set(id, next);
    await this.persist();
    return next;
  }

  async remove(id: string): Promise<void> {
    await this.ready;
    if (this.flows.delete(id)) await this.persist();
  }
}
