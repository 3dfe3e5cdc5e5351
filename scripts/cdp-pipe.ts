/**
 * Debian Chromium driven over its own DevTools pipe (`--remote-debugging-pipe`, fds 3 and 4, NUL-separated JSON),
 * with nothing attached unless asked: unlike Playwright, which auto-attaches to every new page and holds its
 * renderer until a CDP round trip (`waitForDebuggerOnStart`), a page opened here runs as the browser runs a
 * toolbar popup. Benchmarks attach only after the page has loaded, to read its own performance entries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM, HOST_RULES } from '../tests/support/extension';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class PipeBrowser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffered = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly toBrowser: Writable,
    private readonly profile: string,
  ) {}

  /** Headless Chromium with `extensionDir` loaded, every host name on loopback (as tests/support/extension.ts). */
  static launch(extensionDir: string): PipeBrowser {
    const profile = mkdtempSync(join(tmpdir(), 'reauth-assist-bench-profile-'));
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        `--host-resolver-rules=${HOST_RULES}`,
        '--ignore-certificate-errors',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const browser = new PipeBrowser(child, child.stdio[3] as Writable, profile);
    (child.stdio[4] as Readable).on('data', (chunk: Buffer) => browser.receive(chunk.toString('utf8')));
    child.on('exit', () => {
      for (const waiting of browser.pending.values()) waiting.reject(new Error('Chromium exited'));
      browser.pending.clear();
    });
    return browser;
  }

  /** One CDP command, to the browser or (with `sessionId`) to an attached target; resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.toBrowser.write(`${message}\0`);
    });
  }

  /** Evaluates `expression` (awaiting a promise) in the target of `sessionId` and returns its JSON value. */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const reply = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    const failed = reply.exceptionDetails;
    if (failed) throw new Error(`${expression.slice(0, 60)}: ${failed.exception?.description ?? failed.text}`);
    return reply.result.value as T;
  }

  /**
   * Attaches to the page `targetId` once it shows `urlPrefix` (a new target starts on about:blank, and an
   * evaluation racing its navigation lands in the wrong document); returns the session.
   */
  async attachWhenAt(targetId: string, urlPrefix: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { targetInfo } = await this.send<{ targetInfo: { url: string } }>('Target.getTargetInfo', { targetId });
      if (targetInfo.url.startsWith(urlPrefix)) {
        const session = await this.attach(targetId);
        const ready = `location.href.startsWith(${JSON.stringify(urlPrefix)}) && document.readyState !== 'loading'`;
        while (Date.now() < deadline) {
          if (await this.evaluate<boolean>(session, ready).catch(() => false)) return session;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`The page never showed ${urlPrefix} within ${timeoutMs} ms`);
  }

  async attach(targetId: string): Promise<string> {
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return sessionId;
  }

  /** The first target of `type` whose URL starts with `urlPrefix`, waiting up to `timeoutMs` for it to appear. */
  async waitForTarget(type: string, urlPrefix: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { targetInfos } = await this.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>(
        'Target.getTargets',
      );
      const found = targetInfos.find((t) => t.type === type && t.url.startsWith(urlPrefix));
      if (found) return found.targetId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No ${type} target at ${urlPrefix} within ${timeoutMs} ms`);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.send('Browser.close').catch(() => undefined);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.profile, { recursive: true, force: true });
  }

  private receive(text: string): void {
    this.buffered += text;
    let end = this.buffered.indexOf('\0');
    while (end !== -1) {
      const message = JSON.parse(this.buffered.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      this.buffered = this.buffered.slice(end + 1);
      end = this.buffered.indexOf('\0');
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) continue; // events: nothing here subscribes to any
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    }
  }
}
