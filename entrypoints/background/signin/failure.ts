/**
 * One way for every sign-in step to fail: a catalogue id (lib/auth-errors.ts) plus the provider's code, so the
 * popup shows plain words and the admin can still quote the code. Never carries a token or a description.
 */
import * as oauth from 'oauth4webapi';
import {
  AUTH_ERRORS,
  classifyBrowserFlowError,
  classifyProviderError,
  providerErrorCode,
  type AuthErrorId,
  type ProviderErrorFields,
} from '../../../lib/auth-errors';
import type { FlowError } from '../../../lib/signin';

export class SigninFailure extends Error {
  constructor(
    readonly errorId: AuthErrorId,
    readonly code?: string,
    /** The companion's words, for the failures it reported. */
    readonly detail?: string,
  ) {
    super(errorId);
    this.name = 'SigninFailure';
  }
}

export function providerFailure(fields: ProviderErrorFields): SigninFailure {
  return new SigninFailure(classifyProviderError(fields), providerErrorCode(fields));
}

/** The error fields of an authorize redirect (`?error=...` or `#error=...`). */
export function redirectErrorFields(params: URLSearchParams): ProviderErrorFields | undefined {
  const error = params.get('error');
  if (!error) return undefined;
  return {
    error,
    errorUri: params.get('error_uri') ?? undefined,
    errorCodes: params.get('error_codes')?.split(',') ?? undefined,
    subError: params.get('suberror') ?? undefined,
    description: params.get('error_description') ?? undefined,
  };
}

/** launchWebAuthFlow rejects with a fixed message for a closed window or a page that did not load. */
export function browserFlowFailure(error: unknown): SigninFailure {
  const message = error instanceof Error ? error.message : String(error);
  return new SigninFailure(classifyBrowserFlowError(message));
}

/** Maps whatever a step threw (oauth4webapi errors, fetch failures, our own) onto the catalogue. */
export function toSigninFailure(error: unknown): SigninFailure {
  if (error instanceof SigninFailure) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const body = error.cause as Record<string, unknown>;
    return providerFailure({
      error: error.error,
      errorCodes: Array.isArray(body.error_codes) ? (body.error_codes as number[]) : undefined,
      errorUri: typeof body.error_uri === 'string' ? body.error_uri : undefined,
      subError: typeof body.suberror === 'string' ? body.suberror : undefined,
      description: typeof body.error_description === 'string' ? body.error_description : undefined,
    });
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return providerFailure(redirectErrorFields(error.cause) ?? { error: error.error });
  }
  if (error instanceof oauth.OperationProcessingError) {
    const cause = error.cause as { claim?: unknown } | undefined;
    if (error.code === oauth.JWT_CLAIM_COMPARISON && cause?.claim === 'nonce') return new SigninFailure('nonce-mismatch');
    if (error.code === oauth.INVALID_RESPONSE && /"state"/.test(error.message)) return new SigninFailure('state-mismatch');
    if (error.code === oauth.RESPONSE_IS_NOT_JSON || error.code === oauth.RESPONSE_IS_NOT_CONFORM) {
      return new SigninFailure('provider-unavailable', error.code);
    }
    return new SigninFailure('id-token-invalid', error.code);
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) return new SigninFailure('network-error');
  return new SigninFailure('unknown');
}

export function flowError(failure: SigninFailure, context: { adminConsentUrl?: string | undefined; redirectUri?: string } = {}): FlowError {
  const { adminConsentUrl, redirectUri } = context;
  return {
    id: failure.errorId,
    ...(failure.code ? { code: failure.code } : {}),
    ...(adminConsentUrl ? { adminConsentUrl } : {}),
    ...(redirectUri && AUTH_ERRORS[failure.errorId].showRedirectUri ? { redirectUri } : {}),
    ...(failure.detail ? { detail: failure.detail.slice(0, 1000) } : {}),
  };
}
