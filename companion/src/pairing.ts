/**
 * The pairing secret the extension sends as a bearer token. 32 random bytes: high entropy, so a plain
 * SHA-256 of it is what is stored (no slow hash needed), and the clear secret is shown once at creation.
 * It lives in the store's settings, so every instance on a shared PostgreSQL accepts the same secret; each
 * instance re-reads it now and then (`reload`), so --reset-pairing on one reaches the others.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlDatabase } from './store/sql';

const SETTING = 'pairing_secret_sha256';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export interface Pairing {
  /** Constant-time check of a presented secret. */
  verify(candidate: string): boolean;
  /** Picks up a secret another instance made (--reset-pairing there). */
  reload(): Promise<void>;
}

async function storedDigest(db: SqlDatabase): Promise<Buffer | undefined> {
  const row = await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [SETTING]);
  return row ? Buffer.from(row.value, 'hex') : undefined;
}

/** Loads the stored pairing; makes a new secret when there is none or `reset` is set, and returns it once. */
export async function ensurePairing(
  db: SqlDatabase,
  reset: boolean,
): Promise<{ pairing: Pairing; newSecret?: string }> {
  let newSecret: string | undefined;
  let expected = await storedDigest(db);
  if (!expected || reset) {
    const secret = randomBytes(32).toString('base64url');
    // Instances starting together on an empty database: only the first one's secret is kept (and printed).
    const kept = reset
      ? await db.run(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
          [SETTING, digest(secret).toString('hex')],
        )
      : await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING', [
          SETTING,
          digest(secret).toString('hex'),
        ]);
    if (kept) newSecret = secret;
    expected = await storedDigest(db);
  }
  let current: Buffer = expected!;
  return {
    newSecret,
    pairing: {
      verify: (candidate) => timingSafeEqual(digest(candidate), current),
      async reload() {
        current = (await storedDigest(db)) ?? current;
      },
    },
  };
}

export function pairingBanner(secret: string, url: string): string {
  return [
    '',
    '================================================================================',
    ' Reauth Assist companion: new pairing secret (shown only this once)',
    '',
    `   ${secret}`,
    '',
    ' Paste it into Reauth Assist > Options > Companion, with the address',
    `   ${url}`,
    ' Lost it? Start the companion with --reset-pairing to make a new one.',
    '================================================================================',
    '',
  ].join('\n');
}
