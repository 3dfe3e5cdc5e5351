/**
 * Options: the switch for desktop notifications when a mailbox the companion watches needs reauthorization,
 * is disconnected or is back (entrypoints/background/alerts-feature.ts). Saved in storage.local as it is
 * flipped; the worker reads it before each notification.
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { DESKTOP_ALERTS_KEY, readDesktopAlertsSetting, type DesktopAlertsSetting } from '../../lib/mailbox-alerts';
import { useSectionKnown } from './options-ready';

export function AlertSettings() {
  const [setting, setSetting] = useState<DesktopAlertsSetting | null>(null);
  const [error, setError] = useState<string | null>(null);
  useSectionKnown('alerts', setting !== null);
  useEffect(() => {
    void browser.storage.local
      .get(DESKTOP_ALERTS_KEY)
      .then((stored) => setSetting(readDesktopAlertsSetting(stored[DESKTOP_ALERTS_KEY])));
  }, []);

  const flip = async (enabled: boolean) => {
    setError(null);
    try {
      await browser.storage.local.set({ [DESKTOP_ALERTS_KEY]: { enabled } });
      setSetting({ enabled });
    } catch (failure) {
      setError(`The setting was not saved (${(failure as Error).message}). Try again.`);
    }
  };

  if (!setting) return null;
  return (
    <section class="alert-settings" aria-labelledby="alert-settings-title">
      <h2 id="alert-settings-title">Alerts</h2>
      <label>
        <input
          type="checkbox"
          name="desktop-alerts"
          checked={setting.enabled}
          onChange={(event) => void flip((event.currentTarget as HTMLInputElement).checked)}
        />{' '}
        Desktop notification when a mailbox the companion watches needs reauthorization, is disconnected or is back
      </label>
      <p class="muted">One per mailbox and change; clicking it opens Reauth Assist on that mailbox.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
