/**
 * The worker's side of the in-page assistants (SupportCenter Plus, Salesorder settings screens). The page
 * asks; the worker decides and keeps the tokens:
 * - start-verify-for: opens the extension's verify page (popup.html?verify=<id>, in a tab: the popup itself
 *   closes as soon as the sign-in window takes focus, and the admin needs to watch Verify stream) for the
 *   mailbox the form is about, with the servers the page names saved for that mailbox's verification.
 * - explain-test-connection: a Test Connection result through the diagnosis catalogue (kept out of the
 *   content script's bundle).
 * - explain-page-status: the page's own status or error text through the same catalogue.
 * - mail-hosting: where each domain's mail is hosted (MX records, resolved by the companion).
 * - mailbox-folders: the mailbox's folder names and special-use flags from the companion, only for a
 *   mailbox the admin opened Verify for from the same helpdesk origin.
 */
import browser from 'webextension-polyfill';
import * as z from 'zod/mini';
import {
  explainPageStatus,
  explainTestConnection,
  getVerifyRequest,
  mailboxFolders,
  mailHosting,
  startVerifyFor,
  VERIFY_REQUESTS_KEY,
  verifyRequestViewSchema,
  type VerifyRequestView,
} from '../../lib/assist-messages';
import { explainTestConnection as explain } from '../../lib/mail-accounts-rules';
import { explainPageStatus as explainStatus } from '../../lib/page-status';
import { COMPANION_SERVERS_KEY, defaultMailServers } from '../../lib/companion-ui';
import type { BackgroundApp } from './app';
import { CompanionClient, CompanionError } from './companion/client';
import { readServers } from './companion/context';
import { messageOf, PairingStore } from './companion/pairing';
import { UserFacingError } from './router';

/** The page shows this and lists the accounts as unsure, with the command to check by hand. */
export const NOT_PAIRED_FOR_MX =
  'The companion is not paired, so the MX records were not looked up (Reauth Assist > Options > Companion).';

/** Enough for an admin's afternoon; older requests fall off. */
const KEPT_REQUESTS = 20;

function originOf(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : '';
  } catch {
    return '';
  }
}

const storedRequestsSchema = z.array(verifyRequestViewSchema);

async function readRequests(): Promise<VerifyRequestView[]> {
  const stored = (await browser.storage.session.get(VERIFY_REQUESTS_KEY))[VERIFY_REQUESTS_KEY];
  const parsed = z.safeParse(storedRequestsSchema, stored ?? []);
  return parsed.success ? parsed.data : [];
}

export function installAssist(app: BackgroundApp): void {
  const pairing = new PairingStore(browser.storage.local);

  /** The page's servers for this mailbox, completed from what was saved or the provider's, when it names any. */
  async function keepPageServers(
    request: Pick<VerifyRequestView, 'mailbox' | 'provider' | 'imap' | 'smtp'>,
  ): Promise<void> {
    if (!request.imap && !request.smtp) return;
    const all = await readServers();
    const base = all[request.mailbox] ?? defaultMailServers(request.provider);
    const imap = request.imap ?? base?.imap;
    const smtp = request.smtp ?? base?.smtp;
    if (!imap || !smtp) return; // a generic provider's other direction: the verify page's servers form asks
    await browser.storage.local.set({ [COMPANION_SERVERS_KEY]: { ...all, [request.mailbox]: { imap, smtp } } });
  }

  const { router } = app;
  router.register({
    message: startVerifyFor,
    from: 'content-script',
    handle: async (message, { sender }) => {
      const tab = sender.tab!;
      const request: VerifyRequestView = {
        id: crypto.randomUUID(),
        helpdesk: message.helpdesk,
        helpdeskUrl: tab.url ?? '',
        tabId: tab.id!,
        mailbox: message.mailbox,
        provider: message.provider,
        purpose: message.purpose,
        ...(message.imap ? { imap: message.imap } : {}),
        ...(message.smtp ? { smtp: message.smtp } : {}),
        createdAt: Date.now(),
      };
      await keepPageServers(request);
      const kept = [request, ...(await readRequests())].slice(0, KEPT_REQUESTS);
      await browser.storage.session.set({ [VERIFY_REQUESTS_KEY]: kept });
      await browser.tabs.create({
        url: browser.runtime.getURL(`/popup.html?verify=${request.id}`),
        ...(tab.index !== undefined ? { index: tab.index + 1 } : {}),
        ...(tab.windowId !== undefined ? { windowId: tab.windowId } : {}),
        openerTabId: tab.id!,
      });
      return { id: request.id };
    },
  });
  router.register({
    message: getVerifyRequest,
    from: 'extension-page',
    handle: async ({ id }) => {
      const requests = await readRequests();
      return (id ? requests.find((r) => r.id === id) : requests[0]) ?? null;
    },
  });
  router.register({
    message: explainTestConnection,
    from: 'content-script',
    handle: ({ text, ...context }) => explain(text, context),
  });
  router.register({
    message: explainPageStatus,
    from: 'content-script',
    handle: ({ text, ...context }) => explainStatus(text, context),
  });
  router.register({
    message: mailHosting,
    from: 'content-script',
    handle: async ({ domains }) => {
      const saved = await pairing.read();
      if (!saved) throw new UserFacingError(NOT_PAIRED_FOR_MX);
      try {
        return await new CompanionClient(saved).mailHosting(domains);
      } catch (error) {
        throw new UserFacingError(messageOf(error));
      }
    },
  });
  router.register({
    message: mailboxFolders,
    from: 'content-script',
    handle: async ({ mailbox }, { sender }) => {
      const origin = originOf(sender.tab?.url);
      const asked = (await readRequests()).some((r) => r.mailbox === mailbox && originOf(r.helpdeskUrl) === origin);
      if (!asked) {
        throw new UserFacingError(
          `Verify ${mailbox} from this page first (sign in as ${mailbox} on the verify page): its folders are listed ` +
            `with that sign-in.`,
        );
      }
      const saved = await pairing.read();
      if (!saved) throw new UserFacingError('Pair the companion first: Reauth Assist > Options > Companion.');
      try {
        const { folders, mapping } = await new CompanionClient(saved).folders(mailbox);
        return {
          folders: folders.map((f) => ({
            path: f.path,
            name: f.name,
            ...(f.specialUse ? { specialUse: f.specialUse } : {}),
          })),
          mapping,
        };
      } catch (error) {
        if (error instanceof CompanionError && error.code === 'not_found') {
          throw new UserFacingError(
            `The companion does not hold ${mailbox} yet: sign in as ${mailbox} on the verify page first.`,
          );
        }
        throw new UserFacingError(messageOf(error));
      }
    },
  });
}
