/**
 * The worker's one door for runtime messages. Each feature registers the messages it answers, by their
 * definition (lib/message-contract.ts) and the only kind of sender allowed to send them. A message is handled
 * only when its kind is known, its sender is the right part of this extension and it passes the definition's
 * request schema; otherwise the reply is a clear error and nothing changes. Senders validate the reply.
 *
 * Kept free of browser APIs (the extension's id and origin are passed in) so it runs under vitest.
 */
import * as z from 'zod/mini';
import type { Runtime } from 'webextension-polyfill';
import {
  describeIssues,
  type AnyMessage,
  type HandlerResult,
  type MessageOf,
  type WorkerResponse,
} from '../../lib/message-contract';

/**
 * - `content-script`: our content script in the top frame of a tab (page reports).
 * - `extension-page`: the popup, the options page or another page of this extension.
 */
export type SenderKind = 'content-script' | 'extension-page';

export interface RouteContext {
  sender: Runtime.MessageSender;
}

export interface Route<M extends AnyMessage = AnyMessage> {
  message: M;
  from: SenderKind;
  handle(message: MessageOf<M>, context: RouteContext): HandlerResult<M> | Promise<HandlerResult<M>>;
}

export interface ExtensionIdentity {
  id: string;
  /** e.g. chrome-extension://<id>/ or moz-extension://<uuid>/ */
  baseUrl: string;
}

/** Thrown by handlers for failures the admin should read as they are (no "Internal error" wrapping). */
export class UserFacingError extends Error {}

/** A registered route with its message type erased: it parses, then calls its handler with what it parsed. */
interface Entry {
  from: SenderKind;
  run(message: unknown, context: RouteContext): { problem: string } | { reply: unknown };
}

export class MessageRouter {
  private readonly routes = new Map<string, Entry>();

  constructor(private readonly self: ExtensionIdentity) {}

  register<M extends AnyMessage>(route: Route<M>): void {
    const { kind, request } = route.message;
    if (this.routes.has(kind)) throw new Error(`Two handlers for message kind "${kind}".`);
    this.routes.set(kind, {
      from: route.from,
      run(message, context) {
        const parsed = z.safeParse(request, message);
        return parsed.success
          ? { reply: route.handle(parsed.data, context) }
          : { problem: describeIssues(parsed.error) };
      },
    });
  }

  kinds(): string[] {
    return [...this.routes.keys()];
  }

  async dispatch(message: unknown, sender: Runtime.MessageSender): Promise<WorkerResponse> {
    const kind = messageKind(message);
    if (kind === null) return fail('Rejected a message without a "kind".');
    const target = this.routes.get(kind);
    if (target === undefined) return fail(`Rejected a message of unknown kind "${kind}".`);
    const senderProblem = this.checkSender(target.from, sender);
    if (senderProblem !== null) return fail(`Rejected "${kind}": ${senderProblem}`);
    try {
      const outcome = target.run(message, { sender });
      if ('problem' in outcome) return fail(`Rejected "${kind}": ${outcome.problem}`);
      const data = await outcome.reply;
      return { ok: true, data: data ?? null };
    } catch (error) {
      if (error instanceof UserFacingError) return fail(error.message);
      // Handlers' unexpected errors are logged by kind only: messages may carry addresses, never print them.
      console.error(`Reauth Assist: handling "${kind}" failed`, error instanceof Error ? error.name : typeof error);
      return fail(`Reauth Assist could not handle "${kind}". Reload the extension page and try again.`);
    }
  }

  /** A reason the sender may not send this kind, or null when it may. */
  checkSender(required: SenderKind, sender: Runtime.MessageSender): string | null {
    if (sender.id !== this.self.id) return 'it did not come from this extension.';
    const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(this.self.baseUrl);
    if (required === 'extension-page') {
      return fromExtensionPage ? null : "only the extension's own pages (popup, options) may send it.";
    }
    if (fromExtensionPage || sender.tab?.id === undefined)
      return 'only the content script in a helpdesk tab may send it.';
    if (sender.frameId !== undefined && sender.frameId !== 0) return 'only the top frame of a tab may report.';
    return null;
  }
}

function messageKind(message: unknown): string | null {
  if (typeof message !== 'object' || message === null || !('kind' in message)) return null;
  const { kind } = message;
  return typeof kind === 'string' && kind.length <= 64 ? kind : null;
}

function fail(error: string): WorkerResponse {
  return { ok: false, error };
}
