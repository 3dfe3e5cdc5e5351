/**
 * Posts one alert to one webhook, retrying with exponential backoff (p-retry) on network errors, time-outs,
 * 408, 429 and 5xx; any other 4xx is a setting to fix and is not retried. A receiver that stays down costs a
 * few log lines and nothing else: deliveries are bounded per webhook, and the last failure is logged once.
 * The webhook URL and headers are never logged (the URL is the secret of a Slack or Teams webhook).
 */
import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../logger';
import type { OutboundFetch } from '../outbound';
import type { AlertsConfig, WebhookTarget } from './alerts-file';
import { bodyFor, type MailboxAlert } from './payloads';

/** Deliveries of one webhook at a time; the rest wait in its queue. */
const PARALLEL_PER_WEBHOOK = 2;
/** Past this many waiting deliveries a webhook drops new alerts (a receiver down for hours with 1,000 mailboxes). */
const MAX_QUEUED_PER_WEBHOOK = 200;

class DeliveryError extends Error {}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** What a failed attempt was, in words that never contain the URL. */
function describe(err: unknown): string {
  if (err instanceof DeliveryError) return err.message;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'no answer in time';
  const cause = (err as { cause?: { code?: string } })?.cause?.code;
  return cause ? `connection failed (${cause})` : 'connection failed';
}

export class WebhookSender {
  private readonly queues = new Map<WebhookTarget, ReturnType<typeof pLimit>>();
  private readonly stopping = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly config: AlertsConfig,
    private readonly fetch: OutboundFetch,
    private readonly log: Logger,
  ) {
    for (const webhook of config.webhooks) this.queues.set(webhook, pLimit(PARALLEL_PER_WEBHOOK));
  }

  send(alert: MailboxAlert): void {
    for (const webhook of this.config.webhooks) {
      if (!webhook.events.has(alert.event) || this.stopping.signal.aborted) continue;
      const queue = this.queues.get(webhook)!;
      if (queue.pendingCount >= MAX_QUEUED_PER_WEBHOOK) {
        const where = { webhook: webhook.name, event: alert.event, mailbox: alert.mailbox };
        this.log.warn(where, 'webhook queue full, alert dropped');
        continue;
      }
      const delivery = queue(() => this.deliver(webhook, alert)).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /** Settles when every delivery started so far has succeeded or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.stopping.abort(new Error('companion stopping'));
    for (const queue of this.queues.values()) queue.clearQueue();
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(webhook: WebhookTarget, alert: MailboxAlert): Promise<void> {
    const body = JSON.stringify(bodyFor(webhook.format, alert));
    const where = { webhook: webhook.name, event: alert.event, mailbox: alert.mailbox };
    const attempts = this.config.retries + 1;
    let tried = 0;
    try {
      await pRetry(
        async () => {
          tried += 1;
          let res: Response;
          try {
            res = await this.fetch(webhook.url, {
              method: 'POST',
              headers: { ...webhook.headers, 'content-type': 'application/json' },
              body,
              redirect: 'error',
              signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.config.timeoutMs)]),
            });
          } catch (err) {
            if (this.stopping.signal.aborted) throw new AbortError('companion stopping');
            throw new DeliveryError(describe(err));
          }
          // Drain the answer so the connection can be reused; its content does not matter.
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return;
          const failure = new DeliveryError(`the receiver answered ${res.status}`);
          throw retryable(res.status) ? failure : new AbortError(failure);
        },
        {
          retries: this.config.retries,
          factor: 2,
          minTimeout: this.config.minBackoffMs,
          maxTimeout: this.config.maxBackoffMs,
          randomize: true,
          signal: this.stopping.signal,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0) {
              const attempt = { ...where, attempt: attemptNumber, of: attempts, error: describe(error) };
              this.log.info(attempt, 'webhook attempt failed, retrying');
            }
          },
        },
      );
      this.log.info({ ...where, attempts: tried }, 'webhook alert delivered');
    } catch (err) {
      if (this.stopping.signal.aborted) {
        this.log.warn(where, 'webhook alert not delivered: the companion stopped');
        return;
      }
      this.log.warn(
        { ...where, attempts: tried, error: describe(err) },
        `webhook alert not delivered, giving up: check the webhook "${webhook.name}" in the alerts file ` +
          'and that its receiver is up',
      );
    }
  }
}
