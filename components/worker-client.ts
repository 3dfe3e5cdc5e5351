/**
 * How extension pages (popup, options) talk to the worker: one request helper that turns the worker's
 * `{ ok: false, error }` replies into thrown errors carrying the admin-facing sentence.
 */
import browser from 'webextension-polyfill';
import type { WorkerResponse } from '../lib/messages';

export async function askWorker<T>(message: { kind: string } & Record<string, unknown>): Promise<T> {
  let reply: WorkerResponse<T> | undefined;
  try {
    reply = (await browser.runtime.sendMessage(message)) as WorkerResponse<T> | undefined;
  } catch {
    reply = undefined;
  }
  if (reply === undefined || reply === null || typeof reply !== 'object') {
    throw new Error('The Reauth Assist background worker did not answer. Close this page and open it again.');
  }
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}
