/**
 * Secrets of confidential clients (web-registered apps) for the code-redemption mode, read from a JSON file
 * the admin writes next to the database:
 *   { "clients": [ { "clientId": "…", "clientSecret": "…" } ] }
 * The file holds secrets, so it must be mode 0600 like the key file. No file: code mode is off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { assertPrivateFile } from '../crypto/token-key';

const fileSchema = z.strictObject({
  clients: z.array(z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1) })),
});

export type ConfidentialClients = ReadonlyMap<string, string>;

export function loadConfidentialClients(path: string): ConfidentialClients {
  if (!existsSync(path)) return new Map();
  assertPrivateFile(path, 'client secrets');
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new Error(
      `${path} is not a valid clients file ` +
        `(${err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message}). ` +
        'Expected {"clients":[{"clientId":"…","clientSecret":"…"}]}.',
    );
  }
  return new Map(parsed.clients.map((c) => [c.clientId, c.clientSecret]));
}
