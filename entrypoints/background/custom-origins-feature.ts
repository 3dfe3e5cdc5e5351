/**
 * Custom helpdesk origins added in the options page. The page asks the browser for the host permission in
 * the admin's click; the worker then registers the content script for that origin at runtime, and undoes
 * both on removal. On every worker start, and whenever permissions change (the admin can revoke a site in
 * the browser's own settings), registrations are reconciled with the permissions actually granted.
 */
import browser from 'webextension-polyfill';
import { parseHelpdeskOrigin, urlMatchesOrigin } from '../../lib/helpdesk-origins';
import { addCustomOrigin, listCustomOrigins, removeCustomOrigin, type CustomOriginStatus } from '../../lib/messages';
import type { BackgroundApp } from './app';
import {
  CONTENT_SCRIPT_FILE,
  CUSTOM_ORIGINS_KEY,
  planRegistrations,
  readStoredOrigins,
  scriptIdFor,
  type WantedOrigin,
} from './custom-origins';
import { UserFacingError } from './router';

export function installCustomOrigins(app: BackgroundApp): void {
  // One change at a time: add, remove and permission events all rewrite the same registrations.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  async function stored(): Promise<WantedOrigin[]> {
    return readStoredOrigins((await browser.storage.local.get(CUSTOM_ORIGINS_KEY))[CUSTOM_ORIGINS_KEY]);
  }

  async function save(origins: WantedOrigin[]): Promise<void> {
    await browser.storage.local.set({ [CUSTOM_ORIGINS_KEY]: origins.map((o) => o.origin) });
  }

  async function reconcile(): Promise<CustomOriginStatus[]> {
    const origins = await stored();
    const grants = await Promise.all(
      origins.map((o) => browser.permissions.contains({ origins: [o.matchPattern] }).catch(() => false)),
    );
    const granted = origins.filter((_, index) => grants[index]);
    const plan = planRegistrations(granted, await browser.scripting.getRegisteredContentScripts());
    if (plan.unregister.length > 0) await browser.scripting.unregisterContentScripts({ ids: plan.unregister });
    if (plan.register.length > 0) {
      await browser.scripting.registerContentScripts(
        plan.register.map(({ id, matches }) => ({
          id,
          matches,
          js: [CONTENT_SCRIPT_FILE],
          runAt: 'document_idle' as const,
          persistAcrossSessions: true,
        })),
      );
    }
    const registered = new Set((await browser.scripting.getRegisteredContentScripts()).map((s) => s.id));
    return origins.map((o, index) => ({
      ...o,
      granted: grants[index] ?? false,
      registered: registered.has(scriptIdFor(o.origin)),
    }));
  }

  function parseOrThrow(origin: string): WantedOrigin {
    const parsed = parseHelpdeskOrigin(origin);
    if (!parsed.ok) throw new UserFacingError(parsed.error);
    return { origin: parsed.origin, matchPattern: parsed.matchPattern };
  }

  app.router.register({ message: listCustomOrigins, from: 'extension-page', handle: () => serial(reconcile) });
  app.router.register({
    message: addCustomOrigin,
    from: 'extension-page',
    handle: ({ origin }) =>
      serial(async () => {
        const wanted = parseOrThrow(origin);
        if (!(await browser.permissions.contains({ origins: [wanted.matchPattern] }))) {
          throw new UserFacingError(
            `The browser has not allowed Reauth Assist on ${wanted.origin}. Click Add again and choose Allow when ` +
              `the browser asks.`,
          );
        }
        const origins = await stored();
        if (!origins.some((o) => o.origin === wanted.origin)) await save([...origins, wanted]);
        return reconcile();
      }),
  });
  app.router.register({
    message: removeCustomOrigin,
    from: 'extension-page',
    handle: ({ origin }) =>
      serial(async () => {
        const removed = parseOrThrow(origin);
        const remaining = (await stored()).filter((o) => o.origin !== removed.origin);
        await save(remaining);
        const statuses = await reconcile();
        // Two origins may share a host name (different ports) and so one permission: keep it while in use.
        if (!remaining.some((o) => o.matchPattern === removed.matchPattern)) {
          await browser.permissions.remove({ origins: [removed.matchPattern] });
        }
        for (const tab of await app.tabs.all()) {
          if (urlMatchesOrigin(tab.url, removed.origin)) await app.tabs.forget(tab.tabId);
        }
        return statuses;
      }),
  });

  const reconcileQuietly = () =>
    void serial(reconcile).catch((error: unknown) =>
      console.warn('Reauth Assist: could not reconcile custom helpdesk origins:', String(error)),
    );
  browser.permissions.onAdded.addListener(reconcileQuietly);
  browser.permissions.onRemoved.addListener(reconcileQuietly);
  reconcileQuietly();
}
