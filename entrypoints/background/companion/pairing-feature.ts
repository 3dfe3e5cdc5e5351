/**
 * Pairing: the options page saves, tests and forgets the companion's address and pairing secret. The
 * secret stays in storage.local and no message answers with it.
 */
import browser from 'webextension-polyfill';
import {
  companionOriginPattern,
  companionPairingForget,
  companionPairingSave,
  companionPairingStatus,
  companionTest,
} from '../../../lib/companion-ui';
import { UserFacingError } from '../router';
import type { CompanionContext } from './context';
import { testConnection } from './pairing';

/** `onPaired` runs after a new pairing was saved and the companion polled. */
export function installPairing(companion: CompanionContext, onPaired: () => Promise<void>): void {
  const { router } = companion.app;
  const { pairing } = companion;

  router.register({ message: companionPairingStatus, from: 'extension-page', handle: () => pairing.status() });
  router.register({
    message: companionPairingSave,
    from: 'extension-page',
    handle: async ({ url, secret }) => {
      const kept = secret ?? (await pairing.read())?.secret;
      if (!kept) throw new UserFacingError('Paste the pairing secret the companion printed at its first start.');
      await pairing.save({ url, secret: kept });
      companion.pages.changed();
      void companion.poll().then(onPaired);
      return pairing.status();
    },
  });
  router.register({
    message: companionPairingForget,
    from: 'extension-page',
    handle: async () => {
      await pairing.forget();
      await companion.poll();
      return pairing.status();
    },
  });
  router.register({
    message: companionTest,
    from: 'extension-page',
    handle: async ({ url, secret }) => {
      const saved = await pairing.read();
      const hostAccess = await browser.permissions.contains({ origins: [companionOriginPattern(url)] });
      return testConnection(url, secret ?? saved?.secret, { hostAccess });
    },
  });
}
