/**
 * The worker's one door for runtime messages. Each feature registers the kinds it answers, with the zod
 * schema of the message and the only kind of sender allowed to send it. A message is handled only when its
 * kind is known, its sender is the right part of this extension and it passes the schema; otherwise the
 * reply is a clear error and nothing changes.
 *
 * Kept free of browser APIs (the extension's id and origin are passed in) so it runs under vitest.
 */
import type { z } from 'zod';
import type { Runtime } from 'webextension-polyfill';
import type { WorkerResponse } from '../../lib/messages';

/**
 * - `content-script`: our content script in the top frame of a tab (page reports).
 * - `extension-page`: the popup, the options page or another page of this extension.
 */
export type SenderKind = 'content-script' | 'extension-page';

export interface RouteContext {
  sender: Runtime.MessageSender;
}

export interface Route<S extends z.ZodType = z.ZodType> {
  kind: string;
  schema: S;
  from: SenderKind;
  handle(message: z.output<S>, context: RouteContext): unknown;
}

/** Typed helper so each feature's handler sees its own parsed message type. */
export function route<S extends z.ZodType>(definition: Route<S>): Route<S> {
  return definition;
}

export interface ExtensionIdentity {
  id: string;
  /** e.g. chrome-extension://<id>/ or moz-extension://<uuid>/ */
  baseUrl: string;
}

/** Thrown by handlers for failures the admin should read as they are (no "Internal error" wrapping). */
export class UserFacingError extends Error {}

export class MessageRouter {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly self: ExtensionIdentity) {}

  register<S extends z.ZodType>(definition: Route<S>): void {
    if (this.routes.has(definition.kind)) throw new Error(`Two handlers for message kind "${definition.kind}".`);
    this.routes.set(definition.kind, definition as unknown as Route);
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
    const parsed = target.schema.safeParse(message);
    if (!parsed.success) return fail(`Rejected "${kind}": ${describeIssues(parsed.error)}`);
    try {
      const data = await target.handle(parsed.data, { sender });
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
      return fromExtensionPage ? null : 'only the extension\'s own pages (popup, options) may send it.';
    }
    if (fromExtensionPage || sender.tab?.id === undefined) return 'only the content script in a helpdesk tab may send it.';
    if (sender.frameId !== undefined && sender.frameId !== 0) return 'only the top frame of a tab may report.';
    return null;
  }
}

function messageKind(message: unknown): string | null {
  if (typeof message !== 'object' || message === null) return null;
  const kind = (message as { kind?: unknown }).kind;
  return typeof kind === 'string' && kind.length <= 64 ? kind : null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
}

function fail(error: string): WorkerResponse {
  return { ok: false, error };
}
