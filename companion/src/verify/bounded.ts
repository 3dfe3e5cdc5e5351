/**
 * Every verification step runs under a time limit and the caller's abort signal. When either fires the
 * step rejects at once and its own signal aborts, so the step closes whatever it opened: no step can
 * hang on a slow server, and nothing is left connected.
 */

export class StepTimeoutError extends Error {
  readonly code = 'STEP_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${Math.round(timeoutMs / 100) / 10} s (timed out)`);
    this.name = 'StepTimeoutError';
  }
}

export function abortError(reason?: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('The check was cancelled');
  err.name = 'AbortError';
  return err;
}

export async function bounded<T>(
  run: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<T> {
  const inner = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    const fail = (err: Error) => {
      inner.abort(err);
      reject(err);
    };
    timer = setTimeout(() => fail(new StepTimeoutError(options.timeoutMs)), options.timeoutMs);
    onOuterAbort = () => fail(abortError(options.signal?.reason));
    if (options.signal?.aborted) onOuterAbort();
    else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  });
  const work = run(inner.signal);
  // The step may still settle after a timeout; its late result or error is nobody's business then.
  work.catch(() => {});
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onOuterAbort) options.signal?.removeEventListener('abort', onOuterAbort);
    stop.catch(() => {});
  }
}

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal.reason));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
