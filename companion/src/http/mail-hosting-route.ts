/**
 * POST /v1/mail-hosting: where each domain's mail is hosted (Microsoft 365, Google, other), from its MX
 * records. Behind the same guards as every route (Host, Origin, pairing secret, rate limit); only domain
 * names come in (validated by the route's zod schema), only MX host names go out.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  MAIL_HOSTING_PATH,
  mailHostingRequestSchema,
  mailHostingResponseSchema,
  type MailHostingResponse,
} from '../../../lib/mail-hosting-api';
import { MxLookup, type MxLookupOptions } from '../dns/mx-lookup';

export function registerMailHostingRoute(server: FastifyInstance, options: MxLookupOptions): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const lookup = new MxLookup(options);
  const schema = { body: mailHostingRequestSchema, response: { 200: mailHostingResponseSchema } };
  app.post(
    MAIL_HOSTING_PATH,
    { schema },
    async (request): Promise<MailHostingResponse> => ({
      results: await lookup.all(request.body.domains),
    }),
  );
}
