/**
 * Why the sign-in window did not come back. identity.launchWebAuthFlow says only "could not be loaded" (the
 * provider answered with an error page: Chromium treats an HTTP error as a failed load) or "cancelled" (the
 * admin closed a window that may have shown the provider's own error page, which never redirects back). A
 * provider shows such a page when it refuses the app: an unknown Client ID, or a Redirect URL not registered.
 * One request to the same URL, without cookies, tells that apart from a network that never reached it.
 */
import { classifyProviderError } from '../../../lib/auth-errors';
import { SigninFailure } from './failure';

const CHECKED: ReadonlySet<SigninFailure['errorId']> = new Set(['auth-page-unreachable', 'user-cancelled']);
const MAX_PAGE = 200_000;

/** An error code the provider's own error page names (Microsoft AADSTS numbers, OAuth error codes). */
export function refusalOnPage(status: number, page: string): SigninFailure | null {
  const aadsts = /\bAADSTS(\d{4,8})\b/.exec(page)?.[1];
  if (aadsts) {
    const id = classifyProviderError({ errorCodes: [Number(aadsts)] });
    return new SigninFailure(id === 'unknown' ? 'app-refused' : id, `AADSTS${aadsts}`);
  }
  const code = /\b(redirect_uri_mismatch|invalid_redirect_uri|invalid_client|unauthorized_client)\b/.exec(page)?.[1];
  if (code === 'redirect_uri_mismatch' || code === 'invalid_redirect_uri') return new SigninFailure('redirect-uri-mismatch', code);
  if (code) return new SigninFailure('app-refused', code);
  return status >= 400 ? new SigninFailure('app-refused', `HTTP ${status}`) : null;
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

export async function diagnoseAuthorizePage(authorizeUrl: string, failure: SigninFailure): Promise<SigninFailure> {
  if (!CHECKED.has(failure.errorId)) return failure;
  try {
    const response = await fetch(authorizeUrl, { credentials: 'omit', redirect: 'manual', cache: 'no-store' });
    // A redirect (to a sign-in page or back to us) means the provider accepted the request.
    if (response.type === 'opaqueredirect') return failure;
    // A sign-in page that loads fine (2xx) was closed by the admin: a cancel stays a cancel.
    if (failure.errorId === 'user-cancelled' && response.status < 400) return failure;
    const page = (await response.text()).slice(0, MAX_PAGE);
    return refusalOnPage(response.status, page) ?? failure;
  } catch {
    // No read access to the provider (its optional host permission is not granted): only whether it answers.
    if (failure.errorId === 'user-cancelled') return failure;
    return (await reachable(authorizeUrl)) ? new SigninFailure('app-refused') : failure;
  }
}
