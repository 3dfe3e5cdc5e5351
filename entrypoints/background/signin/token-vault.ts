/**
 * Where a mailbox's tokens live after a sign-in that passed the account check: worker memory, mirrored to
 * storage.session so a restarted worker still has them. storage.session is in memory, cleared when the
 * browser closes, and not readable by content scripts (its default access level is trusted contexts only).
 * Never storage.local, never a message to the popup or a content script, never a log line.
 */
import type { Storage } from 'webextension-polyfill';
import type { SigninProvider } from '../../../lib/signin';
import type { ObtainedTokens } from './types';

export interface HeldTokens extends Omit<ObtainedTokens, 'claims'> {
  mailbox: string;
  provider: SigninProvider;
  /** The account that signed in (the mailbox, or the confirmed delegate of a shared mailbox). */
  account: string;
  signedInAs: 'mailbox' | 'delegate' | 'confirmed-by-admin';
  obtainedAt: number;
}

const SESSION_KEY = 'signinTokens';

export class TokenVault {
  private readonly held = new Map<string, HeldTokens>();
  private readonly ready: Promise<void>;
  private readonly listeners = new Set<(tokens: HeldTokens) => void>();

  constructor(private readonly session: Storage.StorageArea) {
    this.ready = this.restore();
  }

  private async restore(): Promise<void> {
    const stored = (await this.session.get(SESSION_KEY))[SESSION_KEY];
    if (stored && typeof stored === 'object') {
      for (const [mailbox, tokens] of Object.entries(stored as Record<string, HeldTokens>)) {
        if (!this.held.has(mailbox)) this.held.set(mailbox, tokens);
      }
    }
  }

  private async persist(): Promise<void> {
    await this.session.set({ [SESSION_KEY]: Object.fromEntries(this.held) });
  }

  async put(tokens: HeldTokens): Promise<void> {
    await this.ready;
    this.held.set(tokens.mailbox, tokens);
    await this.persist();
    for (const listener of this.listeners) listener(tokens);
  }

  /** Worker features that act on a sign-in once its tokens are held (the companion handoff). */
  onPut(listener: (tokens: HeldTokens) => void): void {
    this.listeners.add(listener);
  }

  /** For worker features only (the companion handoff): the tokens of one mailbox. */
  async get(mailbox: string): Promise<HeldTokens | undefined> {
    await this.ready;
    return this.held.get(mailbox.trim().toLowerCase());
  }

  async forget(mailbox: string): Promise<void> {
    await this.ready;
    if (this.held.delete(mailbox.trim().toLowerCase())) await this.persist();
  }

  /** Which mailboxes have tokens, and until when: safe to show (no secret in it). */
  async summary(): Promise<
    Array<{ mailbox: string; account: string; provider: SigninProvider; expiresAt: number | null }>
  > {
    await this.ready;
    return [...this.held.values()].map(({ mailbox, account, provider, expiresAt }) => ({
      mailbox,
      account,
      provider,
      expiresAt,
    }));
  }
}
