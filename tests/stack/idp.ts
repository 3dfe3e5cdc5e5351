import type { IdentityProvider, IdentityProviderOptions } from './index';

export async function startIdentityProvider(_options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  throw new Error('not yet');
}
