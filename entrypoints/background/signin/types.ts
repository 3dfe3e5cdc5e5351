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
  waiting(): void;
  checking(): void;
}
