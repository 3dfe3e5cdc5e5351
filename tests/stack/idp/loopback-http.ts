/**
 * HTTPS requests to the test provider from Node: production host names (login.microsoftonline.com...) are sent
 * to 127.0.0.1:PORT with the real Host header and SNI, trusting only the test CA. Nothing leaves the machine.
 */
import { request } from 'node:https';

export interface LoopbackResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LoopbackRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function loopbackRequester(port: number, ca: string, servedHosts: readonly string[]) {
  const served = new Set(servedHosts);
  return function send(url: string | URL, init: LoopbackRequest = {}): Promise<LoopbackResponse> {
    const target = new URL(url);
    if (target.protocol !== 'https:') throw new TypeError(`Only https is served by the test provider: ${target.href}`);
    const hostname = target.hostname;
    const onOurPort = (hostname === '127.0.0.1' || hostname === 'localhost') && Number(target.port) === port;
    if (!onOurPort && !served.has(hostname)) {
      throw new TypeError(`The test provider does not serve ${target.host} (served: ${[...served].join(', ')})`);
    }
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          servername: hostname === '127.0.0.1' ? undefined : hostname,
          ca,
          method: init.method ?? 'GET',
          path: `${target.pathname}${target.search}`,
          headers: {
            ...init.headers,
            host: onOurPort ? target.host : hostname,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

/** A `fetch` over `loopbackRequester` (no redirect following: callers see 302s as real providers send them). */
export function loopbackFetch(send: ReturnType<typeof loopbackRequester>): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? req.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const method = init?.method ?? req.method;
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      const rawBody = init?.body ?? (input instanceof Request ? await input.arrayBuffer() : undefined);
      if (rawBody !== undefined && rawBody !== null) {
        const asRequest = new Request('https://x.invalid/', { method: 'POST', body: rawBody as BodyInit, headers });
        body = Buffer.from(await asRequest.arrayBuffer());
        const type = asRequest.headers.get('content-type');
        if (type && !headers['content-type']) headers['content-type'] = type;
      }
    }
    const res = await send(req.url, { method, headers, body });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) {
        for (const x of v) out.append(k, x);
      } else if (v !== undefined) out.set(k, v);
    }
    const nullBody = res.status === 204 || res.status === 304 || method === 'HEAD';
    return new Response(nullBody ? null : res.body, { status: res.status, headers: out });
  }) as typeof fetch;
}
