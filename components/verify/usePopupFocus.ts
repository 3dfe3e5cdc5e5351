/**
 * The mailbox a clicked desktop notification asked this popup to show (entrypoints/background/alerts-feature.ts),
 * read once and cleared, so the next popup opened by hand shows the list as usual.
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { POPUP_FOCUS_KEY, POPUP_FOCUS_TTL_MS, popupFocusSchema } from '../../lib/mailbox-alerts';

export function usePopupFocus(): string | null {
  const [mailbox, setMailbox] = useState<string | null>(null);
  useEffect(() => {
    void browser.storage.session.get(POPUP_FOCUS_KEY).then(async (stored) => {
      const parsed = popupFocusSchema.safeParse(stored[POPUP_FOCUS_KEY]);
      if (!parsed.success) return;
      await browser.storage.session.remove(POPUP_FOCUS_KEY);
      if (Date.now() - parsed.data.at < POPUP_FOCUS_TTL_MS) setMailbox(parsed.data.mailbox);
    });
  }, []);
  return mailbox;
}
