/**
 * The offscreen document (Chrome): hosts MSAL for the worker. It answers only messages addressed to it
 * (`target: 'offscreen'`) and only from this extension's worker, and stays silent on everything else so the
 * worker's own replies to the popup are never pre-empted.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { offscreenRequestSchema } from '../../lib/signin';
import { handleOffscreenRequest } from './msal-session';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (typeof message !== 'object' || message === null || (message as { target?: unknown }).target !== 'offscreen') {
    return undefined;
  }
  if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
  const parsed = offscreenRequestSchema.safeParse(message);
  if (!parsed.success) return Promise.resolve({ ok: false, error: { error: 'invalid_request' } });
  return handleOffscreenRequest(parsed.data);
});
