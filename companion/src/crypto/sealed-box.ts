/**
 * AES-256-GCM for tokens at rest. Each value gets a fresh 12-byte IV; the additional data binds it to its
 * mailbox and field, so a ciphertext copied into another row does not decrypt.
 * Format: v1.<key id>.<iv>.<tag>.<ciphertext> (base64url parts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TokenKey } from './token-key';

const FORMAT = 'v1';

export class SealError extends Error {}

export interface SealedBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export function createSealedBox(key: TokenKey): SealedBox {
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        FORMAT,
        key.id,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.');
    },
    open(sealed, context) {
      const [format, id, iv, tag, ciphertext] = sealed.split('.');
      if (format !== FORMAT || !id || !iv || !tag || ciphertext === undefined) {
        throw new SealError('A stored token is not in a format this companion knows; hand the mailbox over again.');
      }
      if (id !== key.id) {
        throw new SealError(
          `Stored tokens were encrypted with another key (id ${id}); this companion has key ${key.id}. ` +
            'Restore the original key file or REAUTH_ASSIST_KEY, or sign in to the mailbox again.',
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SealError(
          'A stored token failed its integrity check (tampered or corrupted); sign in to the mailbox again.',
        );
      }
    },
  };
}
