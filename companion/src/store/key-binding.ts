/**
 * Ties a database to the id of the key its tokens are sealed with. An instance started with another key
 * would fail to open every token and count each mailbox's checks as failures; it refuses to start instead,
 * saying which key the database expects (the id only: the key never goes into the database).
 */
import { KeyError, type TokenKey } from '../crypto/token-key';
import type { SqlDatabase } from './sql';

const SETTING = 'token_key_id';

export async function bindTokenKey(db: SqlDatabase, key: TokenKey): Promise<void> {
  await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING', [SETTING, key.id]);
  const row = await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [SETTING]);
  if (row && row.value !== key.id) {
    throw new KeyError(
      `The tokens in this database are sealed with key id ${row.value}, but this companion has key id ${key.id} ` +
        `(from ${key.source === 'env' ? 'REAUTH_ASSIST_KEY' : 'its key file'}). Give every instance the same key ` +
        '(--key-file FILE or REAUTH_ASSIST_KEY). If that key is lost, the stored sign-ins cannot be opened: start ' +
        'with an empty database and sign in to the mailboxes again.',
    );
  }
}
