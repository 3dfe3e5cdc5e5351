/**
 * The account picker on the helpdesk's own sign-in, as the popup and Options see it: the worker's status, and
 * turning it on (the provider host permissions are asked in the admin's click, as browsers require).
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { helpdeskPickerSet, helpdeskPickerStatus, type HelpdeskPickerStatus } from '../../lib/helpdesk-picker-messages';
import { askWorker, failureText, readWorkerAnswer } from '../worker-client';

/** The status the page asked for before its first render (loadHelpdeskPickerStatus), so it renders once. */
let loaded: HelpdeskPickerStatus | null = null;

/** `asked`: the worker's raw answer when the page asked before this code loaded (components/popup-early.ts). */
export async function loadHelpdeskPickerStatus(asked?: Promise<unknown>): Promise<void> {
  const status = asked
    ? asked.then((answer) => readWorkerAnswer(helpdeskPickerStatus, answer))
    : askWorker(helpdeskPickerStatus);
  loaded = await status.catch(() => null);
}

export function useHelpdeskPicker() {
  const [status, setStatus] = useState<HelpdeskPickerStatus | null>(loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (loaded === null) askWorker(helpdeskPickerStatus).then(setStatus, (e: unknown) => setError(failureText(e)));
  }, []);

  const set = async (change: { enabled?: boolean; asked?: boolean }) => {
    try {
      setStatus(await askWorker(helpdeskPickerSet, change));
    } catch (e) {
      setError(failureText(e));
    }
  };

  /** Call straight from a click handler: the permission request must be the click's first await. */
  const allow = async () => {
    if (!status) return;
    let granted = false;
    try {
      granted = await browser.permissions.request({ origins: status.origins });
    } catch (e) {
      setError(failureText(e));
    }
    await set({ enabled: true, asked: true });
    if (!granted)
      setError(
        "The browser did not grant access to the sign-in pages, so the helpdesk's own sign-in is left as it is.",
      );
  };

  const turnOff = async () => {
    await set({ enabled: false, asked: true });
    if (status) await browser.permissions.remove({ origins: status.origins }).catch(() => false);
    setStatus(await askWorker(helpdeskPickerStatus));
  };

  return { status, error, allow, turnOff, dismiss: () => set({ asked: true }) };
}
