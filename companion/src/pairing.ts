/**
 * The pairing secret the extension sends as a bearer token. 32 random bytes: high entropy, so a plain
 * SHA-256 of it is what is stored (no slow hash needed), and the clear secret is shown once at creation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

const SETTING = 'pairing_secret_sha256';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export interface Pairing {
  /** Constant-time check of a presented secret. */
  verify(candidate: string): boolean;
}

/** Loads the stored pairing; makes a new secret when there is none or `reset` is set, and returns it once. */
export function ensurePairing(db: Database.Database, reset: boolean): { pairing: Pairing; newSecret?: string } {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING) as { value: string } | undefined;
  let stored: Buffer | undefined = row ? Buffer.from(row.value, 'hex') : undefined;
  let newSecret: string | undefined;
  if (!stored || reset) {
    newSecret = randomBytes(32).toString('base64url');
    stored = digest(newSecret);
    db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(SETTING, stored.toString('hex'));
  }
  const expected: Buffer = stored;
  return {
    newSecret,
    pairing: { verify: (candidate) => timingSafeEqual(digest(candidate), expected) },
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
