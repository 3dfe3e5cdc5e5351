/**
 * In-memory storage for oidc-provider, shared by the three issuers (Microsoft, Google, generic), so that one
 * introspection endpoint sees every token and a revocation reaches every grant of an account.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt?: number;
}

export class TokenStore {
  readonly #entries = new Map<string, Entry>();
  /** Clients are looked up here by client_id (model "Client"). */
  readonly clients = new Map<string, AdapterPayload>();

  adapterFor = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const live = (id: string): AdapterPayload | undefined => {
      if (model === 'Client') return this.clients.get(id);
      const entry = this.#entries.get(key(id));
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        this.#entries.delete(key(id));
        return undefined;
      }
      return entry.payload;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        this.#entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      },
      find: async (id) => live(id),
      findByUid: async (uid) => {
        for (const [k, entry] of this.#entries) {
          if (k.startsWith(`${model}:`) && entry.payload.uid === uid) return live(k.slice(model.length + 1));
        }
        return undefined;
      },
      findByUserCode: async () => undefined,
      consume: async (id) => {
        const entry = this.#entries.get(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.#entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        this.revokeGrant(grantId);
      },
    };
  };

  /** The stored record of a token (AccessToken or RefreshToken), or undefined. */
  findToken(token: string): { model: 'AccessToken' | 'RefreshToken'; payload: AdapterPayload } | undefined {
    for (const model of ['AccessToken', 'RefreshToken'] as const) {
      const entry = this.#entries.get(`${model}:${token}`);
      if (entry) return { model, payload: entry.payload };
    }
    return undefined;
  }

  revokeGrant(grantId: string): void {
    for (const [k, entry] of this.#entries) {
      if (entry.payload.grantId === grantId || k === `Grant:${grantId}`) this.#entries.delete(k);
    }
  }

  revokeAccessToken(token: string): void {
    this.#entries.delete(`AccessToken:${token}`);
  }

  /** Every grant, token and session of an account (sessions too: the next sign-in shows the picker). */
  revokeAccount(accountId: string): void {
    for (const [k, entry] of this.#entries) {
      if (entry.payload.accountId === accountId) this.#entries.delete(k);
    }
  }

  findSession(id: string): AdapterPayload | undefined {
    return this.#entries.get(`Session:${id}`)?.payload;
  }

  destroySession(id: string): void {
    this.#entries.delete(`Session:${id}`);
  }
}
