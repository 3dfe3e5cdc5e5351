/**
 * MSAL (@azure/msal-browser) for the worker. MSAL needs a DOM and web storage, which an MV3 service worker
 * lacks (it throws non_browser_environment there), so on Chrome this runs in the offscreen document and on
 * Firefox in the background page itself (an event page with a DOM).
 *
 * MSAL never navigates: `onRedirectNavigate` returns false and hands the authorize URL to the worker, which
 * opens it with identity.launchWebAuthFlow (the worker owns the flow, so it survives the popup closing) and
 * passes the redirect fragment back for MSAL to redeem. MSAL checks state and nonce and redeems the code with
 * PKCE; its token cache is cleared as soon as the tokens are returned to the worker.
 *
 * MSAL keeps a redirect interaction (its status, request parameters and PKCE verifier) in sessionStorage until
 * handleRedirectPromise consumes it. A flow that never gets there (an error at the authorize page, a closed
 * window, a worker stopped mid-flow) would leave it behind, and every later sign-in would be refused with
 * interaction_in_progress until the document went away: `forgetInteractions` drops it on those paths.
 */
import {
  AuthError,
  BrowserCacheLocation,
  InteractionRequiredAuthError,
  PublicClientApplication,
  ServerError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-browser';
import type { MsalConfig, MsalTokens, OffscreenRequest, OffscreenResponse } from '../../lib/signin';
import { MICROSOFT_AUTHORITY_HOST } from '../../lib/providers';

interface Session {
  app: PublicClientApplication;
  /** The authorize URL MSAL wanted to navigate to, captured instead of followed. */
  captured: string | undefined;
  /** MSAL keeps the refresh token to itself; the worker needs it to hand on, so it is read off the wire. */
  lastRefreshToken: string | undefined;
}

const sessions = new Map<string, Promise<Session>>();

/** fetch-based network module that notices the refresh token in the code-redemption answer. */
function networkClient(session: () => Session | undefined): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: options?.headers ?? {},
        ...(options?.body ? { body: options.body } : {}),
      });
    } catch {
      throw new AuthError(
        method === 'GET' ? 'get_request_failed' : 'post_request_failed',
        '',
        'network request failed',
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: unknown = {};
    try {
      body = await response.json();
    } catch {
      body = {};
    }
    const refresh = (body as { refresh_token?: unknown }).refresh_token;
    const current = session();
    if (current && method === 'POST' && typeof refresh === 'string') current.lastRefreshToken = refresh;
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

function sessionKey(config: MsalConfig): string {
  return `${config.clientId}|${config.authority}|${config.redirectUri}`;
}

function session(config: MsalConfig): Promise<Session> {
  const key = sessionKey(config);
  let pending = sessions.get(key);
  if (!pending) {
    pending = (async () => {
      let self: Session | undefined;
      const host = new URL(config.authority).host;
      const app = new PublicClientApplication({
        auth: {
          clientId: config.clientId,
          authority: config.authority,
          redirectUri: config.redirectUri,
          // Another host (a sovereign cloud, B2C) must be trusted explicitly; Microsoft's own uses built-in metadata.
          ...(host === MICROSOFT_AUTHORITY_HOST ? {} : { knownAuthorities: [host] }),
          onRedirectNavigate: (url: string) => {
            if (self) self.captured = url;
            return false;
          },
        },
        // Redirect flows refuse memory storage; sessionStorage of this extension-origin document is out of reach
        // of web pages and content scripts, ends with the document, and is cleared after every sign-in.
        cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
        system: { networkClient: networkClient(() => self) },
      });
      self = { app, captured: undefined, lastRefreshToken: undefined };
      await app.initialize();
      return self;
    })();
    pending.catch(() => sessions.delete(key));
    sessions.set(key, pending);
  }
  return pending;
}

/**
 * Removes every interaction MSAL has open in this document and the applications holding it in memory. The
 * worker runs one sign-in at a time, so whatever is here when it asks is stale. Returns how many keys went.
 */
export function forgetInteractions(): number {
  const stale: string[] = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (key?.startsWith('msal.')) stale.push(key);
  }
  for (const key of stale) sessionStorage.removeItem(key);
  sessions.clear();
  return stale.length;
}

function failure(error: unknown): OffscreenResponse {
  if (error instanceof AuthError) {
    const fields: Extract<OffscreenResponse, { ok: false }>['error'] = { error: error.errorCode.slice(0, 200) };
    if (error.subError) fields.subError = error.subError.slice(0, 200);
    // Token endpoint refusals arrive as ServerError or InteractionRequiredAuthError (consent_required,
    // AADSTS65001): both carry Microsoft's number as errorNo, and the description starts with AADSTSnnnnn.
    const errorNo =
      error instanceof ServerError || error instanceof InteractionRequiredAuthError ? error.errorNo : undefined;
    if (errorNo) fields.errorCodes = [String(errorNo).slice(0, 20)];
    const prefix = /^\s*(AADSTS\d{4,8}):/.exec(error.errorMessage ?? '');
    if (prefix?.[1]) fields.description = `${prefix[1]}:`;
    return { ok: false, error: fields };
  }
  return { ok: false, error: { error: 'unknown_error' } };
}

export async function handleOffscreenRequest(request: OffscreenRequest): Promise<OffscreenResponse> {
  if (request.kind === 'msal-abort') return { ok: true, cleared: forgetInteractions() };
  try {
    if (request.kind === 'msal-begin') forgetInteractions();
    const current = await session(request.config);
    if (request.kind === 'msal-begin') {
      current.captured = undefined;
      await current.app.acquireTokenRedirect({
        scopes: request.config.scopes,
        // Always the account picker: the auth window shares the profile's cookies and would otherwise reuse
        // whichever account signed in last. MSAL drops loginHint with select_account (the service rejects
        // the pair), so the account check after sign-in is the guard for Microsoft.
        prompt: 'select_account',
        ...(request.loginHint ? { loginHint: request.loginHint } : {}),
        redirectUri: request.config.redirectUri,
      });
      if (!current.captured) return { ok: false, error: { error: 'no_authorize_url' } };
      return { ok: true, authorizeUrl: current.captured };
    }
    current.lastRefreshToken = undefined;
    const result = await current.app.handleRedirectPromise({ hash: request.hash, navigateToLoginRequestUrl: false });
    if (!result) return { ok: false, error: { error: 'no_response' } };
    const tokens: MsalTokens = {
      accessToken: result.accessToken,
      idToken: result.idToken,
      expiresOn: result.expiresOn ? result.expiresOn.getTime() : null,
      scopes: result.scopes,
      ...(current.lastRefreshToken ? { refreshToken: current.lastRefreshToken } : {}),
    };
    current.lastRefreshToken = undefined;
    // The worker holds the tokens from here on; MSAL's in-memory copy is dropped.
    await current.app.clearCache().catch(() => undefined);
    return { ok: true, tokens };
  } catch (error) {
    return failure(error);
  }
}
