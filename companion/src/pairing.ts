/**
 * The pairing secret the extension sends as a bearer token. 32 random bytes: high entropy, so a plain
 * SHA-256 of it is what is stored (no slow hash needed), and the clear secret is shown once at creation.
 * It lives in the store's settings, so every instance on a shared PostgreSQL accepts the same secret; each
 * instance re-reads it now and then (`reload`), so --reset-pairing on one reaches the others.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { assertPrivateFile, KeyError } from './crypto/token-key';
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

/** At least 32 characters: only the SHA-256 of the secret is stored, which is safe for random secrets alone. */
const MIN_FILE_SECRET_LENGTH = 32;

/**
 * The pairing secret an operator gives every instance (a compose or systemd secret): owner-only file, one line
 * of at least 32 characters. The secret stays the operator's; the companion stores only its digest.
 */
export function readPairingSecretFile(path: string): string {
  let text: string;
  try {
    assertPrivateFile(path, 'the pairing secret');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError(`Cannot read the pairing secret file ${path}: ${(err as Error).message}`);
  }
  const secret = text.trim();
  if (secret.length < MIN_FILE_SECRET_LENGTH || /\s/.test(secret)) {
    throw new KeyError(
      `${path} (the pairing secret) must hold one line of at least ${MIN_FILE_SECRET_LENGTH} characters without ` +
        `spaces. Make one with: openssl rand -hex 32 > '${path}' && chmod 600 '${path}'`,
    );
  }
  return secret;
}

/** Makes the stored pairing the operator's secret (from --pairing-secret-file); nothing to show, they have it. */
async function adoptSecret(db: SqlDatabase, secret: string): Promise<void> {
  const wanted = digest(secret);
  const stored = await storedDigest(db);
  if (stored && timingSafeEqual(stored, wanted)) return;
  await db.run(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    [SETTING, wanted.toString('hex')],
  );
}

/**
 * Loads the stored pairing. With `fromFile` the operator's secret becomes the stored one; otherwise a new secret
 * is made when there is none or `reset` is set, and returned once.
 */
export async function ensurePairing(
  db: SqlDatabase,
  reset: boolean,
  fromFile?: string,
): Promise<{ pairing: Pairing; newSecret?: string }> {
  let newSecret: string | undefined;
  if (fromFile !== undefined) await adoptSecret(db, fromFile);
  let expected = await storedDigest(db);
  if (!expected || (reset && fromFile === undefined)) {
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
