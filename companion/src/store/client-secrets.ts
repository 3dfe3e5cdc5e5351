/**
 * Confidential clients' secrets in the store, sealed, so every instance of a team has them: an instance
 * started with a clients file makes the stored list equal to that file; every instance reads the stored
 * list (and re-reads it now and then, so a change made through one instance's file reaches the others).
 */
import type { SealedBox } from '../crypto/sealed-box';
import type { SqlDatabase } from './sql';

const context = (clientId: string) => `client|${clientId}`;

/** Replaces the stored secrets with the file's, in one transaction. */
export async function importClientSecrets(
  db: SqlDatabase,
  box: SealedBox,
  fromFile: ReadonlyMap<string, string>,
): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM client_secrets');
    for (const [clientId, secret] of fromFile) {
      await tx.run('INSERT INTO client_secrets (client_id, secret, updated_at) VALUES (?, ?, ?)', [
        clientId,
        box.seal(secret, context(clientId)),
        now,
      ]);
    }
  });
}

/** Fills `into` (the live map the token code reads) with the stored secrets. */
export async function loadClientSecrets(db: SqlDatabase, box: SealedBox, into: Map<string, string>): Promise<void> {
  const rows = await db.all<{ client_id: string; secret: string }>('SELECT client_id, secret FROM client_secrets');
  const next = new Map(rows.map((r) => [r.client_id, box.open(r.secret, context(r.client_id))]));
  for (const id of into.keys()) if (!next.has(id)) into.delete(id);
  for (const [id, secret] of next) into.set(id, secret);
}
