/** Every error the API returns: `{ error: { code, message, hint?, issues? } }` with a matching status. */
import { z } from 'zod';
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

/** Parses with a strict zod schema; a mismatch is a 400 that names every wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  throw new ApiHttpError(
    400,
    'invalid_request',
    `The ${what} is not what the companion expects: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    'Update the extension and the companion to the same version; nothing was stored.',
    issues,
  );
}
