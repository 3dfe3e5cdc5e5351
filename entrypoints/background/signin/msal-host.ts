/**
 * Where MSAL runs for the worker. Chrome: an offscreen document (MSAL cannot get tokens in a service
 * worker: non_browser_environment), reached by runtime messages addressed to it. Firefox has no offscreen
 * API but its MV3 background is an event page with a DOM, so MSAL runs right here.
 */
import browser from 'webextension-polyfill';
import { offscreenResponseSchema, type OffscreenRequest, type OffscreenResponse } from '../../../lib/signin';

const OFFSCREEN_PATH = '/offscreen.html';
let creating: Promise<void> | null = null;

async function ensureOffscreenDocument(): Promise<void> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  if (contexts.length > 0) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.LOCAL_STORAGE],
      justification: 'Microsoft sign-in (MSAL.js) needs web storage and a DOM, which the service worker lacks.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function askMsal(request: OffscreenRequest): Promise<OffscreenResponse> {
  let reply: unknown;
  if (import.meta.env.FIREFOX) {
    const { handleOffscreenRequest } = await import('../../offscreen/msal-session');
    reply = await handleOffscreenRequest(request);
  } else {
    await ensureOffscreenDocument();
    reply = await browser.runtime.sendMessage(request);
  }
  const parsed = offscreenResponseSchema.safeParse(reply);
  return parsed.success ? parsed.data : { ok: false, error: { error: 'no_msal_answer' } };
}
