/**
 * One definition per runtime message: its name, the schema of what the sender sends and the schema of what
 * the receiver answers (bitwarden/clients' CommandDefinition, with zod). Sender and listener both take the
 * definition, so neither can drift from the other: the listener validates the request, the sender the reply.
 *
 * Written with zod/mini: content scripts import it, and the classic API would triple their bundle.
 */
import * as z from 'zod/mini';

export interface MessageDefinition<
  K extends string = string,
  Request extends z.ZodMiniType = z.ZodMiniType,
  Reply extends z.ZodMiniType | z.core.$ZodType = z.core.$ZodType,
> {
  readonly kind: K;
  /** The whole message, `kind` included; unknown fields are refused. */
  readonly request: Request;
  readonly reply: Reply;
}

/** Declares a message: `fields` are its own (the kind is added), `reply` what the receiver answers. */
export function defineMessage<
  const K extends string,
  Fields extends z.core.$ZodLooseShape,
  Reply extends z.core.$ZodType,
>(kind: K, fields: Fields, reply: Reply) {
  return { kind, request: z.strictObject({ kind: z.literal(kind), ...fields }), reply };
}

// biome-ignore lint/suspicious/noExplicitAny: the widest definition, for maps and constraints only
export type AnyMessage = MessageDefinition<string, any, any>;

/** What a handler receives: the parsed message. */
export type MessageOf<M extends AnyMessage> = z.output<M['request']>;
/** What a sender passes: the message's own fields, without its kind. */
export type FieldsOf<M extends AnyMessage> = Omit<z.input<M['request']>, 'kind'>;
/** What the receiver answers, as the sender reads it after validation. */
export type ReplyOf<M extends AnyMessage> = z.output<M['reply']>;
/** What a handler may return: the reply, or nothing when the reply is null. */
export type HandlerResult<M extends AnyMessage> =
  null extends z.input<M['reply']>
    ? // biome-ignore lint/suspicious/noConfusingVoidType: handlers that answer nothing are plain `async () => {}`
      z.input<M['reply']> | undefined | void
    : z.input<M['reply']>;

/** A sender's argument list: nothing for a message without fields, else its fields. */
export type FieldsArgs<M extends AnyMessage> = keyof FieldsOf<M> extends never ? [] : [fields: FieldsOf<M>];

/** The message itself, ready to send. */
export function messageFor<M extends AnyMessage>(definition: M, fields?: FieldsOf<M>): z.input<M['request']> {
  // The one place a type is asserted: TypeScript cannot see that Omit<T, 'kind'> plus T's kind is T.
  return { ...fields, kind: definition.kind } as z.input<M['request']>;
}

/** Every worker reply: errors are sentences for the admin, never stack traces. */
export type WorkerResponse<T = unknown> = { ok: true; data: T } | { ok: false; error: string };

/** A reply that answers nothing: the sender only learns that it worked. */
export const noReply = z.null();

/**
 * Reads what the receiver answered: a refusal passes through as it is, data is validated against the
 * definition's reply schema, and anything else (no listener, an old worker) becomes an admin-facing error.
 */
export function readReply<M extends AnyMessage>(
  definition: M,
  answer: unknown,
  silent: string,
): WorkerResponse<ReplyOf<M>> {
  if (typeof answer !== 'object' || answer === null || !('ok' in answer)) return { ok: false, error: silent };
  if (answer.ok === false) {
    const error = 'error' in answer && typeof answer.error === 'string' ? answer.error : silent;
    return { ok: false, error };
  }
  const parsed = z.safeParse(definition.reply, 'data' in answer ? answer.data : undefined);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    error:
      `Reauth Assist answered "${definition.kind}" with something this page does not understand` +
      ` (${describeIssues(parsed.error)}). Reload the extension and try again.`,
  };
}

/** The first few problems of a failed parse, as "path: message". */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
}
