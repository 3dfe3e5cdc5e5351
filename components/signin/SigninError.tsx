import { explainAuthError } from '../../lib/auth-errors';
import type { FlowError } from '../../lib/signin';
import { CopyField } from './CopyButton';

/** A failed sign-in in plain words: what, why, the next step, and Microsoft's admin-consent link when it helps. */
export function SigninError({ error, onRetry }: { error: FlowError; onRetry?: () => void }) {
  const view = explainAuthError(error.id, { code: error.code, adminConsentUrl: error.adminConsentUrl });
  return (
    <div class="signin-error" role="alert" data-error={view.id}>
      <p class="error">{view.title}</p>
      <p>{view.cause}</p>
      {error.detail && (
        <p class="detail" data-error-detail>
          {error.detail}
        </p>
      )}
      <p>
        <strong>Next: </strong>
        {view.nextStep}
      </p>
      {view.adminConsentUrl && (
        <>
          <p>
            <a href={view.adminConsentUrl} target="_blank" rel="noreferrer" data-admin-consent>
              Admin consent link
            </a>
          </p>
          <CopyField label="Admin consent URL" value={view.adminConsentUrl} />
        </>
      )}
      {view.showRedirectUri && error.redirectUri && (
        <div data-error-redirect-uri={error.redirectUri}>
          <CopyField label="Redirect URL to register" value={error.redirectUri} />
        </div>
      )}
      {view.code && <p class="muted">Code: {view.code}</p>}
      {view.offerRetry && onRetry && (
        <button type="button" onClick={onRetry} data-signin="retry">
          Sign in again
        </button>
      )}
    </div>
  );
}
