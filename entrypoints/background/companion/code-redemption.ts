/**
 * The companion's answer to a code handoff, in the sign-in feature's terms: the account that signed in, the
 * wrong account it refused, or why it could not redeem (its own words, and the provider's OAuth error code
 * when the provider refused the code, so the sign-in error catalogue explains it).
 */
import type { CodeRedemption, RedemptionFailure } from '../signin/types';
import { CompanionError } from './client';
import { messageOf } from './pairing';

export function unavailable(detail: string): RedemptionFailure {
  return { ok: false, errorId: 'companion-unavailable', detail };
}

export function refused(detail: string, providerError?: string): RedemptionFailure {
  return { ok: false, errorId: 'companion-refused', detail, ...(providerError ? { providerError } : {}) };
}

export function redemptionFailure(error: unknown): CodeRedemption {
  if (!(error instanceof CompanionError)) return refused(messageOf(error));
  if (error.code === 'wrong_account' && error.account) return { ok: false, wrongAccount: error.account };
  // Not "unavailable" even when it stopped answering: the code may have been spent, so the admin signs in again.
  return refused(error.message, error.providerError);
}
