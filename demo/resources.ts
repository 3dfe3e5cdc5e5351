/**
 * Everything the sandbox started, stopped in reverse order exactly once, whichever comes first: the end of
 * the tour, Ctrl+C, SIGTERM, or a failure half-way through starting.
 */
export class Resources {
  readonly #stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  readonly #late = new Set<Promise<unknown>>();
  #cancelled = false;
  #stopping: Promise<string[]> | undefined;

  /** Registers a started part; its stop runs even if a later part fails to start. */
  add(name: string, stop: () => Promise<unknown>): void {
    if (!this.#stopping) {
      this.#stops.push({ name, stop });
      return;
    }
    // Came up after everything else was stopped: stop it at once.
    const late = stop().catch(() => undefined);
    this.#late.add(late);
    void late.finally(() => this.#late.delete(late));
  }

  /** Asks a start-up in progress to give up at its next step (see `throwIfCancelled`). */
  cancel(): void {
    this.#cancelled = true;
  }

  throwIfCancelled(): void {
    if (this.#cancelled) throw new CancelledError();
  }

  /** Stops everything, newest first; each part gets `timeoutMs`. Resolves to the parts that failed to stop. */
  stopAll(timeoutMs = 10_000): Promise<string[]> {
    this.#cancelled = true;
    this.#stopping ??= (async () => {
      const failed: string[] = [];
      for (const { name, stop } of this.#stops.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not stop within ${timeoutMs / 1000} s`)), timeoutMs);
        });
        try {
          await Promise.race([stop(), timeout]);
        } catch (err) {
          failed.push(`${name}: ${(err as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
      await Promise.all(this.#late);
      return failed;
    })();
    return this.#stopping;
  }
}

export class CancelledError extends Error {
  constructor() {
    super('The sandbox was stopped while starting.');
    this.name = 'CancelledError';
  }
}
