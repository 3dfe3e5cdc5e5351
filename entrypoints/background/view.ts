/**
 * What the popup shows, assembled from parts the features provide (tabs, history; later sign-in progress and
 * companion monitoring), and pushed to every open extension page over a runtime port whenever a part changes.
 */
import type { Runtime } from 'webextension-polyfill';
import type { PopupState } from '../../lib/messages';

type Part<K extends keyof PopupState> = () => Promise<PopupState[K]>;

export class PopupView {
  private readonly parts = new Map<keyof PopupState, Part<keyof PopupState>>();
  private readonly ports = new Set<Runtime.Port>();
  private pending: ReturnType<typeof setTimeout> | null = null;

  provide<K extends keyof PopupState>(key: K, part: Part<K>): void {
    if (this.parts.has(key)) throw new Error(`Two providers for popup state "${key}".`);
    this.parts.set(key, part as Part<keyof PopupState>);
  }

  async snapshot(): Promise<PopupState> {
    const state: Partial<Record<keyof PopupState, unknown>> = { tabs: [], history: [] };
    await Promise.all([...this.parts].map(async ([key, part]) => void (state[key] = await part())));
    return state as PopupState;
  }

  /** Called with an already sender-checked port; the page gets the state now and on every change. */
  attach(port: Runtime.Port): void {
    this.ports.add(port);
    port.onDisconnect.addListener(() => this.ports.delete(port));
    void this.push([port]);
  }

  /** Coalesces bursts of changes (a report touches tabs, badge and history) into one push. */
  changed(): void {
    if (this.pending !== null || this.ports.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.push([...this.ports]);
    }, 25);
  }

  private async push(ports: Runtime.Port[]): Promise<void> {
    const state = await this.snapshot();
    for (const port of ports) {
      try {
        port.postMessage({ kind: 'state', state });
      } catch {
        this.ports.delete(port);
      }
    }
  }
}
