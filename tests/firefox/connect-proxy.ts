/**
 * Firefox has no --host-resolver-rules: it reaches production host names (login.microsoftonline.com,
 * acme.freshdesk.com, ...) through this HTTP CONNECT proxy on 127.0.0.1, which tunnels each name it knows to a
 * local port and refuses every other name, so nothing leaves the machine. TLS stays end to end (the test
 * servers present the test certificate for the real name), so the browser sees the production URLs unchanged.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  port: number;
  /** Every CONNECT target asked for, "host:port", in order (tunnelled or refused). */
  requested(): string[];
  close(): Promise<void>;
}

/** `routes`: host name (exact, or "*.suffix") -> local port. The requested port is ignored. */
export async function startConnectProxy(routes: Record<string, number>): Promise<ConnectProxy> {
  const requested: string[] = [];
  const sockets = new Set<Socket>();
  const portFor = (host: string): number | undefined =>
    routes[host] ??
    Object.entries(routes).find(([pattern]) => pattern.startsWith('*.') && host.endsWith(pattern.slice(1)))?.[1];

  const server: Server = createServer((_req, res) => {
    // Plain http:// requests through the proxy: the tests serve only HTTPS names.
    res.writeHead(403, { 'content-type': 'text/plain' }).end('test proxy: plain HTTP is not tunnelled');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    requested.push(target);
    const host = target.replace(/:\d+$/, '');
    const port = portFor(host);
    if (port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requested: () => [...requested],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
