/**
 * HTTPS server for helpdesk replica pages. Chromium maps the real host names (acme.freshdesk.com, ...) to
 * 127.0.0.1, so the extension sees production URLs; the port is picked by the OS.
 * Pages come from tests/fixtures/ by path, or from routes a test adds (host + path -> html).
 */
import { createServer, type Server } from 'node:https';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ensureTestCerts } from './certs';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface FixtureServer {
  port: number;
  /** https://host:port + path */
  url(host: string, path: string): string;
  route(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const { cert, key } = ensureTestCerts();
  const routes = new Map<string, string>();
  const server: Server = createServer({ cert, key }, async (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const routed = routes.get(path);
    if (routed !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(routed);
      return;
    }
    const file = normalize(join(FIXTURES_DIR, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(FIXTURES_DIR)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (host, path) => `https://${host}:${port}${path}`,
    route: (path, html) => void routes.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
