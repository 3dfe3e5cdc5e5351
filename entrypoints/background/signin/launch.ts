/**
 * Opens the provider's sign-in page with identity.launchWebAuthFlow, from the worker: a flow started by the
 * popup would lose its result when the popup closes (it does as soon as the sign-in window takes focus).
 */
import browser from 'webextension-polyfill';
import { browserFlowFailure, SigninFailure } from './failure';

export async function launchAuthFlow(url: string): Promise<string> {
  let responseUrl: string | undefined;
  try {
    responseUrl = await browser.identity.launchWebAuthFlow({ url, interactive: true });
  } catch (error) {
    throw browserFlowFailure(error);
  }
  if (!responseUrl) throw new SigninFailure('user-cancelled');
  return responseUrl;
}

export function redirectUri(): string {
  return browser.identity.getRedirectURL();
}
