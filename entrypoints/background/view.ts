/**
 * What the popup shows, assembled from parts the features provide (tabs, history; later sign-in progress and
 * companion monitoring), and pushed to every open extension page over a runtime port whenever a part changes.
 */
import type { Runtime } from 'webextension-polyfill';
import type { PopupState } from '../../lib/messages';
import { POPUP_STATE_PORT } from '../../lib/page-ports';
import type { MessageRouter } from './router';
import { StatePorts } from './state-ports';

type Parts = { [K in keyof PopupState]?: () => Promise<PopupState[K]> };

export class PopupView {
  private readonly parts: Parts = {};
  private readonly pages = new StatePorts<PopupState>(POPUP_STATE_PORT, 'state', () => this.snapshot());

  provide<K extends keyof PopupState>(key: K, part: NonNullable<Parts[K]>): void {
    if (this.parts[key]) throw new Error(`Two providers for popup state "${key}".`);
    this.parts[key] = part;
  }

  async snapshot(): Promise<PopupState> {
    const [tabs, history] = await Promise.all([this.parts.tabs?.() ?? [], this.parts.history?.() ?? []]);
    return { tabs, history };
  }

  /** Attaches the popup's port listener: call in the worker's first turn. */
  listen(runtime: Pick<Runtime.Static, 'onConnect'>, router: MessageRouter): void {
    this.pages.listen(runtime, router);
  }

  /** Called with an already sender-checked port; the page gets the state now and on every change. */
  attach(port: Runtime.Port): void {
    this.pages.attach(port);
  }

  /** Coalesces bursts of changes (a report touches tabs, badge and history) into one push. */
  changed(): void {
    this.pages.changed();
  }
}
