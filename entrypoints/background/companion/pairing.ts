/**
 * The pairing with the companion: its address and the secret it printed at its first start, in
 * storage.local (the worker and the extension's pages only; no message ever answers with the secret), and
 * the "Test connection" checks the options page shows.
 */
import type { Storage } from 'webextension-polyfill';
import {
  COMPANION_DEFAULT_URL,
  COMPANION_PAIRING_KEY,
  companionPairingSchema,
  type CompanionPairing,
  type ConnectionCheck,
  type ConnectionTestResult,
  type PairingStatus,
} from '../../../lib/companion-ui';
import { CompanionClient, CompanionError } from './client';

export class PairingStore {
  constructor(private readonly local: Storage.StorageArea) {}

  /** The saved pairing, or null when there is none (or it was damaged: then the options page asks again). */
  async read(): Promise<CompanionPairing | null> {
    const parsed = companionPairingSchema.safeParse(
      (await this.local.get(COMPANION_PAIRING_KEY))[COMPANION_PAIRING_KEY],
    );
    return parsed.success ? parsed.data : null;
  }

  async status(): Promise<PairingStatus> {
    const raw = (await this.local.get(COMPANION_PAIRING_KEY))[COMPANION_PAIRING_KEY] as { url?: unknown } | undefined;
    const pairing = await this.read();
    return {
      url: pairing?.url ?? (typeof raw?.url === 'string' ? raw.url : COMPANION_DEFAULT_URL),
      hasSecret: pairing !== null,
    };
  }

  async save(pairing: CompanionPairing): Promise<void> {
    await this.local.set({ [COMPANION_PAIRING_KEY]: companionPairingSchema.parse(pairing) });
  }

  async forget(): Promise<void> {
    await this.local.remove(COMPANION_PAIRING_KEY);
  }
}

/**
 * Reach the companion (health, no secret), then use the secret on an authenticated endpoint. Each check
 * says plainly what is wrong: not running, something else on the port, the wrong secret, a refused origin.
 */
export async function testConnection(
  url: string,
  secret: string | undefined,
  options: { hostAccess: boolean; fetch?: typeof fetch },
): Promise<ConnectionTestResult> {
  const checks: ConnectionCheck[] = [];
  const done = () => ({ ok: checks.every((c) => c.ok), checks });
  if (!options.hostAccess) {
    checks.push({
      what: 'Permission to contact the companion',
      ok: false,
      message:
        `Reauth Assist is not allowed to contact ${new URL(url).host} yet. Press Save and allow access when ` +
        `the browser asks.`,
    });
    return done();
  }
  const client = new CompanionClient({
    url,
    ...(secret ? { secret } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  try {
    const health = await client.health();
    checks.push({
      what: 'Reach the companion',
      ok: true,
      message: `The Reauth Assist companion ${health.version} answers at ${url}.`,
    });
  } catch (error) {
    if (error instanceof CompanionError && error.code === 'store_unavailable') {
      checks.push({ what: 'Reach the companion', ok: true, message: `The Reauth Assist companion answers at ${url}.` });
      checks.push({ what: "Reach the companion's database", ok: false, message: messageOf(error) });
    } else {
      checks.push({ what: 'Reach the companion', ok: false, message: messageOf(error) });
    }
    return done();
  }
  if (!secret) {
    checks.push({
      what: 'Use the pairing secret',
      ok: false,
      message:
        'No pairing secret yet. Paste the one the companion printed at its first start (lost it? restart the ' +
        'companion with --reset-pairing).',
    });
    return done();
  }
  try {
    await client.checkOrigin();
  } catch (error) {
    checks.push({ what: 'Accept requests from this browser', ok: false, message: messageOf(error) });
    return done();
  }
  try {
    const { mailboxes } = await client.mailboxes();
    checks.push({
      what: 'Use the pairing secret',
      ok: true,
      message:
        `The pairing secret is right. The companion monitors ${mailboxes.length} ` +
        `${mailboxes.length === 1 ? 'mailbox' : 'mailboxes'}.`,
    });
  } catch (error) {
    checks.push({ what: 'Use the pairing secret', ok: false, message: messageOf(error) });
  }
  return done();
}

export function messageOf(error: unknown): string {
  if (error instanceof CompanionError) return error.message;
  return 'Reauth Assist could not talk to the companion. Check that it runs, then try again.';
}
