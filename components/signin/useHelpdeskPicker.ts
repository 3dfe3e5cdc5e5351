/**
 * The account picker on the helpdesk's own sign-in, as the popup and Options see it: the worker's status, and
 * turning it on (the provider host permissions are asked in the admin's click, as browsers require).
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import type { HelpdeskPickerStatus } from '../../lib/helpdesk-picker-messages';
import { askWorker } from '../worker-client';

export function useHelpdeskPicker() {
  const [status, setStatus] = useState<HelpdeskPickerStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    askWorker<HelpdeskPickerStatus>({ kind: 'helpdesk-picker-status' }).then(setStatus, (e: Error) => setError(e.message));
  }, []);

  const set = async (change: { enabled?: boolean; asked?: boolean }) => {
    try {
      setStatus(await askWorker<HelpdeskPickerStatus>({ kind: 'helpdesk-picker-set', ...change }));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  /** Call straight from a click handler: the permission request must be the click's first await. */
  const allow = async () => {
    if (!status) return;
    let granted = false;
    try {
      granted = await browser.permissions.request({ origins: status.origins });
    } catch (e) {
      setError((e as Error).message);
    }
    await set({ enabled: true, asked: true });
    if (!granted) setError('The browser did not grant access to the sign-in pages, so the helpdesk\'s own sign-in is left as it is.');
  };

  const turnOff = async () => {
    await set({ enabled: false, asked: true });
    if (status) await browser.permissions.remove({ origins: status.origins }).catch(() => false);
    setStatus(await askWorker<HelpdeskPickerStatus>({ kind: 'helpdesk-picker-status' }));
  };

  return { status, error, allow, turnOff, dismiss: () => set({ asked: true }) };
}
