/**
 * How a settings-form assistant asks the worker: the reply checked against the message's zod definition. Only
 * the content script for admin-added origins (with its form assistants) bundles this, and zod with it; the
 * Freshdesk content script asks the worker nothing it needs to validate this way.
 */
import { messageFor, readReply } from '../../lib/message-contract';
import type { AssistContext } from './detectors/types';

const SILENT = 'Reauth Assist did not answer. Reload this page and try again.';
const UNREACHABLE = 'Reauth Assist is not reachable (was it updated or reloaded?). Reload this page and try again.';

/** The worker's answer checked against the message's reply schema, or an admin-readable failure. */
export function askWorker(send: (message: unknown) => Promise<unknown>): AssistContext['ask'] {
  return (definition, fields) =>
    send(messageFor(definition, fields)).then(
      (answer) => readReply(definition, answer, SILENT),
      () => ({ ok: false, error: UNREACHABLE }),
    );
}
