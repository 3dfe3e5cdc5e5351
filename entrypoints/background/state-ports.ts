/**
 * A feature's live state for the extension's pages: pages connect a runtime port by name, the worker pushes
 * `{ kind, state }` on connect and, coalesced, after every change. Only the extension's own pages may
 * connect (the router's sender check); a content script's port is dropped at once.
 */
import type { Runtime } from 'webextension-polyfill';
import type { MessageRouter } from './router';

export class StatePorts<T> {
  private readonly ports = new Set<Runtime.Port>();
  private pending: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly portName: string,
    private readonly kind: string,
    private readonly snapshot: () => Promise<T>,
    /** Called after a page connects or disconnects, with how many are connected now. */
    private readonly onCountChange: (connected: number) => void = () => undefined,
  ) {}

  /** Attaches the onConnect listener: call in the worker's first turn. */
  listen(runtime: Pick<Runtime.Static, 'onConnect'>, router: MessageRouter): void {
    runtime.onConnect.addListener((port) => {
      if (port.name !== this.portName) return;
      if (port.sender === undefined || router.checkSender('extension-page', port.sender) !== null) {
        port.disconnect();
        return;
      }
      this.attach(port);
    });
  }

  /** Takes a port whose sender is already checked: it gets the state now and after every change. */
  attach(port: Runtime.Port): void {
    this.ports.add(port);
    port.onDisconnect.addListener(() => {
      this.ports.delete(port);
      this.onCountChange(this.ports.size);
    });
    this.onCountChange(this.ports.size);
    void this.push([port]);
  }

  /** Coalesces bursts of changes (a verification's steps) into one push. */
  changed(): void {
    if (this.pending !== null || this.ports.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.push([...this.ports]);
    }, 20);
  }

  private async push(targets: Runtime.Port[]): Promise<void> {
    const state = await this.snapshot();
    for (const port of targets) {
      try {
        port.postMessage({ kind: this.kind, state });
      } catch {
        this.ports.delete(port);
      }
    }
  }
}
