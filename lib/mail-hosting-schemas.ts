/**
 * The parts of the mail-hosting API that content scripts also validate (the `mail-hosting` runtime message
 * and its reply): one definition each, in zod/mini so the content script's bundle stays small. The
 * companion's classic-API request and response (mail-hosting-api.ts) are built from these.
 */
import * as z from 'zod/mini';

/** A Salesorder list rarely names more domains than this; a larger request is refused, not truncated. */
export const MAX_HOSTING_DOMAINS = 50;

/** A DNS name as people write it in an address: letters, digits, hyphens, at least one dot; no trailing dot. */
export const mailDomainSchema = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(253),
    z.regex(
      /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
      'not a domain name (like contoso.com)',
    ),
  );

/** The domains of one request: at least one, at most MAX_HOSTING_DOMAINS. */
export const mailDomainsSchema = z.array(mailDomainSchema).check(z.minLength(1), z.maxLength(MAX_HOSTING_DOMAINS));

/**
 * - microsoft365: an MX is <tenant>.mail.protection.outlook.com. - google: Google's MX. - other: another host
 *   or no MX at all (none: true). - unknown: the lookup failed (error says why); ask again or check by hand.
 */
export const domainHostingSchema = z.strictObject({
  domain: z.string(),
  hosting: z.enum(['microsoft365', 'google', 'other', 'unknown']),
  /** MX exchanges, lowest preference first. */
  exchanges: z.array(z.string()).check(z.maxLength(50)),
  none: z.optional(z.boolean()),
  error: z.optional(z.string().check(z.maxLength(300))),
});
export type DomainHosting = z.infer<typeof domainHostingSchema>;

export const mailHostingResultsSchema = z.strictObject({
  results: z.array(domainHostingSchema).check(z.maxLength(MAX_HOSTING_DOMAINS)),
});
export type MailHostingResponse = z.infer<typeof mailHostingResultsSchema>;
