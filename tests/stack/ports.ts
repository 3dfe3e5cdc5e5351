/** OS-chosen free ports on 127.0.0.1 (for servers that need their port in a config file) and waiting for a listener. */
import { createServer, connect } from 'node:net';

export async function freePorts(count: number): Promise<number[]> {
  // Hold every port open until all are chosen, so the OS never hands out the same one twice.
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; `failed()` can abort early (e.g. the process exited). */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  failed: () => Error | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const early = failed();
    if (early) throw early;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
