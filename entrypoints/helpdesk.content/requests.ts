/**
 * Requests from our own worker (contentRequestSchema in lib/messages.ts). The sender is the extension
 * itself, so a small shape check stands in for zod, which would triple this bundle.
 */
import type { ContentRequest } from '../../lib/messages';

const MAX_ADDRESS = 320;

export function parseContentRequest(message: unknown): ContentRequest | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.kind === 'rescan' && Object.keys(m).length === 1) return { kind: 'rescan' };
  if (
    m.kind === 'reveal-mailbox' &&
    Object.keys(m).length === 2 &&
    typeof m.address === 'string' &&
    m.address.length <= MAX_ADDRESS &&
    /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.address.trim())
  ) {
    return { kind: 'reveal-mailbox', address: m.address.trim().toLowerCase() };
  }
  return null;
}
