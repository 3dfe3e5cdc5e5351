/** Every error the API returns: `{ error: { code, message, hint?, issues? } }` with a matching status. */
import type { ApiError, ApiErrorCode } from '../../../lib/companion-api';

export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly hint?: string,
    readonly issues?: Array<{ path: string; message: string }>,
    readonly extra: { account?: string; providerError?: string } = {},
  ) {
    super(message);
  }

  body(): ApiError {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint ? { hint: this.hint } : {}),
        ...(this.issues ? { issues: this.issues } : {}),
        ...this.extra,
      },
    };
  }
}

/** One failed check as fastify-type-provider-zod reports it (the zod issue, path as a JSON pointer). */
export interface SchemaIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { keys?: unknown };
}

/** A request that does not match its route's schema: a 400 that names every wrong field. */
export function validationError(failed: readonly SchemaIssue[], what: string): ApiHttpError {
  const issues = failed.map((i) => ({
    path: i.instancePath.split('/').filter(Boolean).join('.') || '(body)',
    message: i.keyword === 'unrecognized_keys' && Array.isArray(i.params?.keys)
      ? `unknown field(s): ${i.params.keys.join(', ')}`
      : (i.message ?? 'invalid'),
  }));
  return new ApiHttpError(
    400,
    'invalid_request',
    `The ${what} is not what the companion expects: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    'Update the extension and the companion to the same version; nothing was stored.',
    issues,
  );
}
