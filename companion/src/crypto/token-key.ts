/**
 * The key that encrypts tokens at rest: REAUTH_ASSIST_KEY (base64 of 32 bytes) when set, else a key file in
 * the data directory created on first start with mode 0600. A key file anyone else can read would make the
 * encryption pointless, so wider permissions stop the companion with the command that fixes them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TokenKey {
  /** Short id stored with every sealed value, so a wrong key is reported as such rather than as corruption. */
  id: string;
  key: Buffer;
  source: 'env' | 'file';
}

export class KeyError extends Error {}

export const KEY_FILE_NAME = 'token-key';

function keyId(key: Buffer): string {
  return createHash('sha256').update('reauth-assist token key id\0').update(key).digest('hex').slice(0, 12);
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) {
    throw new KeyError(
      `${where} must be 32 random bytes in base64 (44 characters), got ${key.length} bytes. Make one with: openssl ` +
        `rand -base64 32`,
    );
  }
  return key;
}

/** Refuses a file that group or others may read or write. */
export function assertPrivateFile(path: string, what: string): void {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new KeyError(
      `${path} (${what}) has permissions ${mode.toString(8).padStart(4, '0')}: other users could read it. ` +
        `Run: chmod 600 '${path}' and start the companion again.`,
    );
  }
}

/** REAUTH_ASSIST_KEY, else `keyFile` (shared by a team's instances), else <dataDir>/token-key; made when missing. */
export function loadTokenKey(dataDir: string, env: NodeJS.ProcessEnv, keyFile?: string): TokenKey {
  if (env.REAUTH_ASSIST_KEY) {
    const key = decodeKey(env.REAUTH_ASSIST_KEY, 'REAUTH_ASSIST_KEY');
    return { id: keyId(key), key, source: 'env' };
  }
  const path = keyFile ?? join(dataDir, KEY_FILE_NAME);
  let text: string;
  try {
    assertPrivateFile(path, 'the key that decrypts stored tokens');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    text = randomBytes(32).toString('base64');
    // 'wx': never overwrite a key another process created a moment ago.
    writeFileSync(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  }
  const key = decodeKey(text, path);
  return { id: keyId(key), key, source: 'file' };
}
