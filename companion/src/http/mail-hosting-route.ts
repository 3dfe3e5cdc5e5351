/**
 * POST /v1/mail-hosting: where each domain's mail is hosted (Microsoft 365, Google, other), from its MX
 * records. Behind the same guards as every route (Host, Origin, pairing secret); only domain names come
 * in, only MX host names go out.
 */
import type { FastifyInstance } from 'fastify';
import { MAIL_HOSTING_PATH, mailHostingRequestSchema, type MailHostingResponse } from '../../../lib/mail-hosting-api';
import { MxLookup, type MxLookupOptions } from '../dns/mx-lookup';
import { parseOrThrow } from './api-error';

export function registerMailHostingRoute(app: FastifyInstance, options: MxLookupOptions): void {
  const lookup = new MxLookup(options);
  app.post(MAIL_HOSTING_PATH, async (request): Promise<MailHostingResponse> => {
    const { domains } = parseOrThrow(mailHostingRequestSchema, request.body, 'mail-hosting request');
    return { results: await lookup.all(domains) };
  });
}
