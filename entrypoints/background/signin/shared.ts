/**
 * What the sign-in features share in one worker: the flows the popup shows, the incognito guide, the tokens a
 * guard stopped (memory only) and the one "something changed" signal for the popup. Built once by index.ts.
 */
import browser from 'webextension-polyfill';
import { SHARED_DELEGATES_KEY, sharedDelegatesSchema, type FlowView, type SharedDelegates } from '../../../lib/signin';
import type { BackgroundApp } from '../app';
import type { FlowStore } from './flow-store';
import type { IncognitoGuide } from './incognito-guide';
import type { HeldTokens, TokenVault } from './token-vault';
import type { CodeRedeemer, ObtainedTokens } from './types';

export interface SigninShared {
  app: BackgroundApp;
  flows: FlowStore;
  guide: IncognitoGuide;
  vault: TokenVault;
  redeemer: CodeRedeemer;
  /** Tokens of a flow stopped by the account check: memory only, handed on only if the admin confirms. */
  quarantine: Map<string, ObtainedTokens>;
  changed(): void;
}

export type SigninRequestStart = Pick<FlowView, 'mailbox' | 'provider' | 'genericId' | 'helpdeskUrl'>;

export async function readDelegates(): Promise<SharedDelegates> {
  const stored = (await browser.storage.local.get(SHARED_DELEGATES_KEY))[SHARED_DELEGATES_KEY];
  const parsed = sharedDelegatesSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

export function holdable(flow: FlowView, tokens: ObtainedTokens, account: string, signedInAs: HeldTokens['signedInAs']): HeldTokens {
  return {
    mailbox: flow.mailbox,
    provider: flow.provider,
    account,
    signedInAs,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
    expiresAt: tokens.expiresAt,
    scope: tokens.scope,
    tokenEndpoint: tokens.tokenEndpoint,
    clientId: tokens.clientId,
    obtainedAt: Date.now(),
  };
}
