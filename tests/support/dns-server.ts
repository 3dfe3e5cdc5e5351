/**
 * A real DNS server on 127.0.0.1 (npm dns2, UDP) for the tests: MX answers from a small zone, NXDOMAIN for
 * names it does not know, SERVFAIL where a test asks for one. Queries are recorded, so a test can tell the
 * companion really asked this server.
 */
import dns2 from 'dns2';

const { Packet } = dns2;

/** A domain's MX records as [exchange, preference], or a failure to answer with. */
export type ZoneEntry = { mx: Array<[string, number]> } | 'servfail' | 'no-mx';

export interface TestDnsServer {
  /** ADDR:PORT, as --dns-server takes it. */
  address: string;
  port: number;
  queries: Array<{ name: string; type: number }>;
  close(): Promise<void>;
}

export async function startDnsServer(zone: Readonly<Record<string, ZoneEntry>>): Promise<TestDnsServer> {
  const queries: TestDnsServer['queries'] = [];
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (!question) return void send(response);
      const name = question.name.toLowerCase().replace(/\.$/, '');
      queries.push({ name, type: question.type });
      const entry = zone[name];
      if (entry === undefined) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else if (entry === 'servfail') response.header.rcode = Packet.RCODE.SERVFAIL;
      else if (entry !== 'no-mx' && question.type === Packet.TYPE.MX) {
        for (const [exchange, priority] of entry.mx) {
          const answer = {
            name: question.name,
            type: Packet.TYPE.MX,
            class: Packet.CLASS.IN,
            ttl: 60,
            exchange,
            priority,
          };
          response.answers.push(answer as unknown as (typeof response.answers)[number]);
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp!.port;
  return { address: `127.0.0.1:${port}`, port, queries, close: () => server.close().then(() => undefined) };
}
