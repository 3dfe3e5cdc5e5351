/**
 * Everything the sandbox started, stopped in reverse order exactly once, whichever comes first: the end of
 * the tour, Ctrl+C, SIGTERM, or a failure half-way through starting.
 */
export class Resources {
  readonly #stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  #stopping: Promise<string[]> | undefined;

  /** Registers a started part; its stop runs even if a later part fails to start. */
  add(name: string, stop: () => Promise<unknown>): void {
    if (this.#stopping) {
      // Started while we were already stopping (Ctrl+C during start-up): stop it at once.
      void stop().catch(() => undefined);
      return;
    }
    this.#stops.push({ name, stop });
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Stops everything, newest first; each part gets `timeoutMs`. Resolves to the parts that failed to stop. */
  stopAll(timeoutMs = 10_000): Promise<string[]> {
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
      return failed;
    })();
    return this.#stopping;
  }
}
