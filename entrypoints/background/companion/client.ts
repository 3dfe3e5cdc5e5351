/**
 * The worker's client of the companion's HTTP API (lib/companion-api.ts). Every answer is checked against
 * the API's zod schema before anything uses it, and every failure becomes a CompanionError that says, in an
 * admin's words, what went wrong and what to do next. Free of extension APIs (fetch is injected) so it runs
 * under vitest against a real HTTP server.
 */
import type { z } from 'zod';
import {
  apiErrorSchema,
  handoffResponseSchema,
  healthResponseSchema,
  mailboxFoldersResponseSchema,
  mailboxListResponseSchema,
  mailboxPath,
  NDJSON_CONTENT_TYPE,
  outageReportResponseSchema,
  type ApiErrorCode,
  type HandoffRequest,
  type HandoffResponse,
  type HealthResponse,
  type MailboxFoldersResponse,
  type MailboxListResponse,
  type OutageReportResponse,
  type VerifyRequest,
  type VerifyStreamLine,
} from '../../../lib/companion-api';
import { isLoopbackUrl } from '../../../lib/companion-ui';
import { MAIL_HOSTING_PATH, mailHostingResponseSchema, type MailHostingResponse } from '../../../lib/mail-hosting-api';
import { NdjsonSplitter, parseVerifyLine } from './ndjson';

/**
 * - not-running: nothing answers at the address. - timeout: it did not answer in time.
 * - not-companion: something answers, but not the companion's API. - api: the companion refused (see code).
 * - bad-response: the companion's answer does not match the API this extension knows.
 */
export type CompanionErrorKind = 'not-running' | 'timeout' | 'not-companion' | 'api' | 'bad-response';

export class CompanionError extends Error {
  constructor(
    readonly kind: CompanionErrorKind,
    message: string,
    readonly code?: ApiErrorCode,
    readonly status?: number,
    /** wrong_account: who signed in. */
    readonly account?: string,
    /** token_endpoint_error: the provider's OAuth error code. */
    readonly providerError?: string,
  ) {
    super(message);
    this.name = 'CompanionError';
  }
}

export interface CompanionClientOptions {
  url: string;
  secret?: string;
  fetch?: typeof fetch;
  /** For every request but the verify stream, which may take as long as its steps do. */
  timeoutMs?: number;
  /** The verify stream is given up when no line arrives for this long. */
  streamIdleMs?: number;
}

export const START_HINT =
  'Start it with "npm start" in the Reauth Assist folder (or "node companion/dist/main.mjs"), then try again.';

export class CompanionClient {
  private readonly url: string;
  private readonly fetcher: typeof fetch;
  private readonly timeoutMs: number;
  private readonly streamIdleMs: number;

  constructor(private readonly options: CompanionClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 8000;
    this.streamIdleMs = options.streamIdleMs ?? 90_000;
  }

  health(): Promise<HealthResponse> {
    return this.json('GET', '/v1/health', undefined, healthResponseSchema);
  }

  /**
   * Throws the companion's origin_not_allowed when it refuses this browser's extension origin. Firefox sends
   * no Origin on GET (measured: docs/firefox-testing.md), so every GET passes a companion that refuses all of
   * Firefox's POSTs; OPTIONS carries the Origin, and the companion's guard answers it before anything else.
   */
  async checkOrigin(): Promise<void> {
    const response = await this.send('OPTIONS', '/v1/mailboxes', undefined, AbortSignal.timeout(this.timeoutMs));
    if (response.status !== 403) return;
    const failure = await this.failure(response);
    if (failure.code === 'origin_not_allowed') throw failure;
  }

  mailboxes(): Promise<MailboxListResponse> {
    return this.json('GET', '/v1/mailboxes', undefined, mailboxListResponseSchema);
  }

  handOver(address: string, handoff: HandoffRequest): Promise<HandoffResponse> {
    return this.json('POST', mailboxPath(address, '/tokens'), handoff, handoffResponseSchema);
  }

  /** Where each domain's mail is hosted, from its MX records (the companion resolves them). */
  mailHosting(domains: readonly string[]): Promise<MailHostingResponse> {
    return this.json('POST', MAIL_HOSTING_PATH, { domains }, mailHostingResponseSchema);
  }

  /**
   * The mailbox's folders (names and special-use flags) and the suggested mapping; the companion signs in to
   * IMAP for it.
   */
  folders(address: string): Promise<MailboxFoldersResponse> {
    return this.json('GET', mailboxPath(address, '/folders'), undefined, mailboxFoldersResponseSchema);
  }

  /** The last outage's report, or null when the companion has none for this mailbox. */
  async outageReport(address: string): Promise<OutageReportResponse | null> {
    try {
      return await this.json('GET', mailboxPath(address, '/outage-report'), undefined, outageReportResponseSchema);
    } catch (error) {
      if (error instanceof CompanionError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /**
   * Runs a verification and hands on each NDJSON line as it arrives. Resolves when the stream ends; a stream
   * that ends without a verdict or an error line is an error (the companion stopped half-way).
   */
  async verify(
    address: string,
    request: VerifyRequest,
    onLine: (line: VerifyStreamLine) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const idle = new AbortController();
    let idleTimer = setTimeout(() => idle.abort(), this.timeoutMs);
    const signals = signal ? [signal, idle.signal] : [idle.signal];
    try {
      const response = await this.send('POST', mailboxPath(address, '/verify'), request, AbortSignal.any(signals));
      if (!response.ok) throw await this.failure(response);
      if (!(response.headers.get('content-type') ?? '').startsWith(NDJSON_CONTENT_TYPE) || !response.body) {
        throw this.mismatch('the verify answer is not a stream of JSON lines');
      }
      const splitter = new NdjsonSplitter();
      const reader = response.body.getReader();
      let finished = false;
      const handle = (text: string) => {
        const parsed = parseVerifyLine(text);
        if (!parsed.ok) throw this.mismatch(parsed.problem);
        if (parsed.line.type !== 'step') finished = true;
        onLine(parsed.line);
      };
      for (;;) {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => idle.abort(), this.streamIdleMs);
        const { done, value } = await reader.read();
        if (done) break;
        for (const text of splitter.push(value)) handle(text);
      }
      for (const text of splitter.end()) handle(text);
      if (!finished) {
        throw new CompanionError(
          'api',
          'The companion stopped the verification before its verdict. Verify again; if it repeats, look at the ' +
            "companion's output.",
        );
      }
    } catch (error) {
      if (idle.signal.aborted && !(error instanceof CompanionError)) {
        throw new CompanionError(
          'timeout',
          `The companion at ${this.url} stopped sending verification steps. Verify again; if it repeats, restart the ` +
            `companion.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(idleTimer);
    }
  }

  private async json<S extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>> {
    const response = await this.send(method, path, body, AbortSignal.timeout(this.timeoutMs));
    if (!response.ok) throw await this.failure(response);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw this.notCompanion(response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Health is how "is this the companion at all?" is answered: a foreign JSON there is not the companion.
      if (path === '/v1/health') throw this.notCompanion(response.status);
      throw this.mismatch(issue ? `${issue.path.join('.') || 'answer'}: ${issue.message}` : 'unexpected answer');
    }
    return parsed.data;
  }

  private async send(method: string, path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.secret) headers.authorization = `Bearer ${this.options.secret}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetcher(`${this.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      if (signal.aborted) {
        const reason: unknown = signal.reason;
        if (reason instanceof DOMException && reason.name === 'TimeoutError') {
          throw new CompanionError(
            'timeout',
            `The companion at ${this.url} did not answer within ${Math.round(this.timeoutMs / 1000)} s. Is the ` +
              `computer busy, or is something else listening on that port? Restart the companion and try again.`,
          );
        }
        throw error;
      }
      throw new CompanionError(
        'not-running',
        isLoopbackUrl(this.url)
          ? `The companion is not running at ${this.url}: nothing answers there. ${START_HINT}`
          : `Nothing answers at ${this.url}. Check the address and that the companion runs there (and its TLS proxy).`,
      );
    }
  }

  /** A non-2xx answer: the companion's own error words, or "this is not the companion". */
  private async failure(response: Response): Promise<CompanionError> {
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return this.notCompanion(response.status);
    }
    const parsed = apiErrorSchema.safeParse(json);
    if (!parsed.success) return this.notCompanion(response.status);
    const { code, message, hint, account, providerError } = parsed.data.error;
    // The companion answered, its database did not (PostgreSQL down): say which of the two is the trouble.
    const lead =
      code === 'store_unavailable' ? `The companion at ${this.url} answers, but its database is unreachable: ` : '';
    return new CompanionError(
      'api',
      `${lead}${hint ? `${message} ${hint}` : message}`,
      code,
      response.status,
      account,
      providerError,
    );
  }

  private notCompanion(status: number): CompanionError {
    return new CompanionError(
      'not-companion',
      `Something answers at ${this.url} (HTTP ${status}), but it is not the Reauth Assist companion. Check the ` +
        `address and port the companion printed when it started.`,
      undefined,
      status,
    );
  }

  private mismatch(detail: string): CompanionError {
    return new CompanionError(
      'bad-response',
      `The companion at ${this.url} answered in a form this extension does not understand (${detail}). Update the ` +
        `companion and the extension to the same version.`,
    );
  }
}
