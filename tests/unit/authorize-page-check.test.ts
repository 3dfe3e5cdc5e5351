import { describe, expect, it } from 'vitest';
import { refusalOnPage } from '../../entrypoints/background/signin/authorize-page-check';

describe('refusalOnPage: what the provider\'s own error page says', () => {
  it('an AADSTS number on the page is classified by the catalogue', () => {
    const failure = refusalOnPage(400, '<div>AADSTS700016: Application with identifier x was not found</div>');
    expect([failure?.errorId, failure?.code]).toEqual(['app-not-in-tenant', 'AADSTS700016']);
    expect(refusalOnPage(400, 'AADSTS50011: The redirect URI specified in the request does not match')?.errorId).toBe('redirect-uri-mismatch');
  });

  it('OAuth error codes on the page (Google, oidc-provider)', () => {
    expect(refusalOnPage(400, 'Error 400: redirect_uri_mismatch')?.errorId).toBe('redirect-uri-mismatch');
    expect(refusalOnPage(401, 'Error 401: invalid_client')?.errorId).toBe('app-refused');
  });

  it('an error status with nothing recognisable is still a refusal; a page that loaded fine is not', () => {
    expect(refusalOnPage(404, '<p>not here</p>')).toMatchObject({ errorId: 'app-refused', code: 'HTTP 404' });
    expect(refusalOnPage(200, '<form>Pick an account</form>')).toBeNull();
  });
});
