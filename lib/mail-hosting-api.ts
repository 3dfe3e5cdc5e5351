/**
 * The companion's mail-hosting endpoint (POST /v1/mail-hosting): where each domain's mail is hosted, from
 * its MX records, resolved by the companion (a browser extension has no DNS API for MX). Shared by the
 * companion (validates the request) and the worker's client (validates the answer).
 */
import { z } from 'zod';

export const MAIL_HOSTING_PATH = '/v1/mail-hosting';
/** A Salesorder list rarely names more domains than this; a larger request is refused, not truncated. */
export const MAX_HOSTING_DOMAINS = 50;

/** A DNS name as people write it in an address: letters, digits, hyphens, at least one dot; no trailing dot. */
export const mailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, 'not a domain name (like contoso.com)');

export const mailHostingRequestSchema = z.strictObject({
  domains: z.array(mailDomainSchema).min(1).max(MAX_HOSTING_DOMAINS),
});
export type MailHostingRequest = z.infer<typeof mailHostingRequestSchema>;

/**
 * - microsoft365: an MX is <tenant>.mail.protection.outlook.com. - google: Google's MX. - other: another host
 *   or no MX at all (none: true). - unknown: the lookup failed (error says why); ask again or check by hand.
 */
export const domainHostingSchema = z.strictObject({
  domain: z.string(),
  hosting: z.enum(['microsoft365', 'google', 'other', 'unknown']),
  /** MX exchanges, lowest preference first. */
  exchanges: z.array(z.string()).max(50),
  none: z.boolean().optional(),
  error: z.string().max(300).optional(),
});
export type DomainHosting = z.infer<typeof domainHostingSchema>;

export const mailHostingResponseSchema = z.strictObject({ results: z.array(domainHostingSchema).max(MAX_HOSTING_DOMAINS) });
export type MailHostingResponse = z.infer<typeof mailHostingResponseSchema>;
