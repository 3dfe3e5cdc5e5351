/**
 * What login.microsoftonline.com says that oidc-provider does not: tenant path segments, the v2.0 discovery
 * document, AADSTS error texts, and the id token issuer per tenant.
 */
import { randomUUID } from 'node:crypto';
import { ACCOUNT_LIST, TENANTS, type StackAccount } from '../accounts';
import type { AuthorizeErrorSwitch, MicrosoftErrorPreset } from '../index';

export const MICROSOFT_HOST = 'login.microsoftonline.com';

/** Path shapes of the v2.0 endpoints after the tenant segment. */
export const MICROSOFT_PATH = /^\/([^/]+)\/(oauth2\/v2\.0\/|v2\.0\/\.well-known\/|discovery\/v2\.0\/|adminconsent\b)/;

export type TenantSelector =
  | { kind: 'organizations' | 'consumers' | 'common' }
  | { kind: 'tenant'; id: string; domain: string };

/** Resolves the tenant path segment as Microsoft does (id or verified domain); undefined: AADSTS90002. */
export function resolveTenant(segment: string): TenantSelector | undefined {
  const s = segment.toLowerCase();
  if (s === 'organizations' || s === 'consumers' || s === 'common') return { kind: s };
  for (const t of Object.values(TENANTS)) {
    if (s === t.id || s === t.domain) return { kind: 'tenant', id: t.id, domain: t.domain };
  }
  return undefined;
}

export function accountsForTenant(selector: TenantSelector): StackAccount[] {
  return ACCOUNT_LIST.filter((a) => {
    if (a.provider !== 'microsoft' || !a.canSignIn) return false;
    const personal = a.tid === TENANTS.consumers.id;
    switch (selector.kind) {
      case 'common':
        return true;
      case 'organizations':
        return !personal;
      case 'consumers':
        return personal;
    }
    return a.tid === selector.id;
  });
}

export function microsoftIssuer(tid: string): string {
  return `https://${MICROSOFT_HOST}/${tid}/v2.0`;
}

/** Microsoft's /{tenant}/v2.0/.well-known/openid-configuration, with URLs on the host the request came to. */
export function microsoftDiscovery(origin: string, tenant: string, selector: TenantSelector): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  const issuerTid =
    selector.kind === 'tenant' ? selector.id : selector.kind === 'consumers' ? TENANTS.consumers.id : '{tenantid}';
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: microsoftIssuer(issuerTid),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** Microsoft appends trace lines to every AADSTS description; clients must map the code, not the text. */
function aadsts(code: number, text: string): string {
  return (
    `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} ` +
    `Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`
  );
}

export function microsoftErrorPreset(preset: MicrosoftErrorPreset): AuthorizeErrorSwitch {
  switch (preset) {
    case 'consent_required':
      return {
        provider: 'microsoft',
        error: 'consent_required',
        error_description: aadsts(
          65001,
          "The user or administrator has not consented to use the application with ID '{clientId}' named 'Reauth " +
            "Assist'. Send an interactive authorization request for this user and resource.",
        ),
      };
    case 'admin_consent_required':
      return {
        provider: 'microsoft',
        error: 'consent_required',
        error_description: aadsts(90094, 'The grant requires admin permission.'),
      };
    case 'mfa_required':
      return {
        provider: 'microsoft',
        error: 'interaction_required',
        error_description: aadsts(
          50076,
          'Due to a configuration change made by your administrator, or because you moved to a new location, you ' +
            "must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.",
        ),
      };
    case 'app_not_found':
      return {
        provider: 'microsoft',
        error: 'unauthorized_client',
        error_description: aadsts(
          700016,
          "Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if " +
            'the application has not been installed by the administrator of the tenant or consented to by any user ' +
            'in the tenant. You may have sent your authentication request to the wrong tenant.',
        ),
      };
    case 'conditional_access':
      return {
        provider: 'microsoft',
        error: 'access_denied',
        error_description: aadsts(
          53003,
          'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
        ),
      };
    case 'other_tenant':
      return {
        provider: 'microsoft',
        error: 'invalid_request',
        error_description: aadsts(
          50020,
          "User account '{account}' from identity provider 'https://sts.windows.net/{tid}/' does not exist in tenant " +
            "'{tenant}' and cannot access the application '{clientId}'in that tenant. The account needs to be added " +
            'as an external user in the tenant first. Sign out and sign in again with a different Azure Active ' +
            'Directory user account.',
        ),
      };
  }
}

export function fillErrorTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{(clientId|tenant|account|tid)\}/g, (_, k: string) => values[k] ?? k);
}

/** Microsoft's client_info (base64url JSON {uid, utid}) that MSAL builds the account from. */
export function clientInfo(account: StackAccount): string {
  return Buffer.from(JSON.stringify({ uid: account.oid, utid: account.tid })).toString('base64url');
}
