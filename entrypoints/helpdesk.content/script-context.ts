/**
 * The content scripts' lifetime, in place of WXT's ContentScriptContext (wxt.config.ts points WXT's entry at
 * this module): the same hand-over, in which a copy of the script started later in the page (the extension
 * was updated or reloaded and injected it again) stops the copy already there, so a page never shows two sets
 * of marks. WXT's timers, location watcher and abort signal are left out: these scripts use none of them, and
 * the Freshdesk script must stay within its 20 kB budget.
 */
import { browser } from 'wxt/browser';

export class ContentScriptContext {
  readonly #stop = new AbortController();

  constructor(name: string) {
    // Named by extension and script: only a copy of this very script hands over.
    const type = `${browser.runtime.id}:${name}:started`;
    const id = Math.random().toString(36).slice(2);
    document.dispatchEvent(new CustomEvent(type, { detail: id }));
    document.addEventListener(
      type,
      (event) => {
        if ((event as CustomEvent).detail !== id) this.#stop.abort();
      },
      { signal: this.#stop.signal },
    );
  }

  /** Runs `stop` once a later copy of the script takes over. */
  onInvalidated(stop: () => void): void {
    this.#stop.signal.addEventListener('abort', stop);
  }
}
