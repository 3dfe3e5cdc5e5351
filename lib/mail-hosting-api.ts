/**
 * The companion's mail-hosting endpoint (POST /v1/mail-hosting): where each domain's mail is hosted, from
 * its MX records, resolved by the companion (a browser extension has no DNS API for MX). Shared by the
 * companion (validates the request) and the worker's client (validates the answer). The schemas themselves
 * are zod/mini (mail-hosting-schemas.ts, shared with content scripts), wrapped in the classic API here.
 */
import { z } from 'zod';
import { domainHostingSchema, mailDomainsSchema, mailHostingResultsSchema } from './mail-hosting-schemas';

export {
  MAX_HOSTING_DOMAINS,
  mailDomainSchema,
  type DomainHosting,
  type MailHostingResponse,
} from './mail-hosting-schemas';
export { domainHostingSchema };

export const MAIL_HOSTING_PATH = '/v1/mail-hosting';

export const mailHostingRequestSchema = z.strictObject({ domains: mailDomainsSchema });
export type MailHostingRequest = z.infer<typeof mailHostingRequestSchema>;

export const mailHostingResponseSchema = z.strictObject({ results: mailHostingResultsSchema.shape.results });
