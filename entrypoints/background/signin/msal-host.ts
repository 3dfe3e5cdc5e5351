/**
 * Where MSAL runs for the worker. Chrome: an offscreen document (MSAL cannot get tokens in a service
 * worker: non_browser_environment), reached by runtime messages addressed to it. Firefox has no offscreen
 * API but its MV3 background is an event page with a DOM, so MSAL runs right here.
 */
import browser from 'webextension-polyfill';
import { offscreenResponseSchema, type OffscreenRequest, type OffscreenResponse } from '../../../lib/signin';

const OFFSCREEN_PATH = '/offscreen.html';
let creating: Promise<void> | null = null;

async function offscreenDocumentExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [browser.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

async function ensureOffscreenDocument(): Promise<void> {
  if (await offscreenDocumentExists()) return;
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

/**
 * One request at a time, in the order asked: a clean-up asked for at worker start must reach MSAL before the
 * next sign-in's begin, never after it.
 */
let queue: Promise<unknown> = Promise.resolve();

export function askMsal(request: OffscreenRequest): Promise<OffscreenResponse> {
  const answer = queue.then(() => sendToMsal(request));
  queue = answer.catch(() => undefined);
  return answer;
}

async function sendToMsal(request: OffscreenRequest): Promise<OffscreenResponse> {
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

/**
 * Drops whatever redirect interaction MSAL still has open (a flow that failed, was cancelled or was cut off
 * by a worker restart). No document, nothing to forget: none is created for it. Never throws.
 */
export async function forgetMsalInteractions(): Promise<void> {
  const forget = queue.then(async () => {
    if (!import.meta.env.FIREFOX && !(await offscreenDocumentExists())) return;
    await sendToMsal({ target: 'offscreen', kind: 'msal-abort' });
  });
  queue = forget.catch(() => undefined);
  // The document may go away meanwhile: so does its sessionStorage.
  await forget.catch(() => undefined);
}
