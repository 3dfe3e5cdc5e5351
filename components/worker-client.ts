/**
 * How extension pages (popup, options) talk to the worker: by a message's definition, so the request is
 * the definition's and the reply is validated against it. The worker's `{ ok: false, error }` replies
 * become thrown errors carrying the admin-facing sentence.
 */
import browser from 'webextension-polyfill';
import { messageFor, readReply, type AnyMessage, type FieldsArgs, type ReplyOf } from '../lib/message-contract';

const SILENT = 'The Reauth Assist background worker did not answer. Close this page and open it again.';

export async function askWorker<M extends AnyMessage>(definition: M, ...fields: FieldsArgs<M>): Promise<ReplyOf<M>> {
  const answer: unknown = await browser.runtime.sendMessage(messageFor(definition, ...fields)).catch(() => undefined);
  return readWorkerAnswer(definition, answer);
}

/** The reply in the worker's `answer` to `definition` (asked by askWorker, or early: components/popup-early.ts). */
export function readWorkerAnswer<M extends AnyMessage>(definition: M, answer: unknown): ReplyOf<M> {
  const reply = readReply(definition, answer, SILENT);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

/** The sentence of whatever a request threw (askWorker throws Errors carrying the worker's sentence). */
export function failureText(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
