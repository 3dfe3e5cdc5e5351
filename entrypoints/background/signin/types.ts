/** What a provider flow hands back to the sign-in feature (worker memory only). */
export interface ObtainedTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** epoch ms */
  expiresAt: number | null;
  scope: string;
  /** Where the refresh token is redeemed (the companion needs it). */
  tokenEndpoint: string;
  clientId: string;
  /** Validated id token claims; absent when the provider gave no id token. */
  claims: Record<string, unknown> | undefined;
}

/** Progress callbacks: the flow reports its steps, the feature shows them. */
export interface SigninHooks {
  /** The sign-in window opens on `authorizeUrl` (kept to tell a refused app from a network failure). */
  waiting(authorizeUrl: string): void;
  checking(): void;
}

/** An authorization code the worker obtained and checked (state) but does not redeem: the companion does. */
export interface IssuedCode {
  code: string;
  codeVerifier: string;
  /** Sent on the authorize request; the companion checks the id token carries it. */
  nonce?: string;
  redirectUri: string;
}

export interface CodeRedemptionRequest extends IssuedCode {
  provider: 'microsoft' | 'google' | 'generic';
  clientId: string;
  /** Microsoft: the tenant the code was issued at (the companion redeems and refreshes there). */
  tenant?: string;
  /** Generic provider: where the code is redeemed. */
  tokenEndpoint?: string;
  /** Delegates the admin confirmed for this (shared) mailbox. */
  delegates: string[];
}

export interface RedemptionFailure {
  ok: false;
  errorId: 'companion-unavailable' | 'companion-refused';
  /** The companion's words (or why it was not asked). */
  detail: string;
  /** The provider's OAuth error code, when the provider refused the code. */
  providerError?: string;
}

export type CodeRedemption = { ok: true; account: string } | { ok: false; wrongAccount: string } | RedemptionFailure;

/**
 * The companion's half of a confidential-client sign-in, as the sign-in feature needs it (implemented by the
 * companion feature, so sign-in never talks HTTP itself).
 */
export interface CodeRedeemer {
  /** Why a code for this mailbox could not be redeemed now (not paired, servers unknown), before any window opens. */
  obstacle(mailbox: string, provider: CodeRedemptionRequest['provider']): Promise<RedemptionFailure | null>;
  redeem(mailbox: string, request: CodeRedemptionRequest): Promise<CodeRedemption>;
}
