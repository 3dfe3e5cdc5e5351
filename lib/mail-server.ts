/**
 * Mail server endpoints and folder roles: the parts of the verification contract (verification.ts) that
 * content scripts also exchange with the worker. zod/mini, so content scripts can use them.
 */
import * as z from 'zod/mini';

const mailSecuritySchema = z.enum(['tls', 'starttls']);

/** A DNS name or an IP literal; no scheme, no port, no path. */
const hostSchema = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1),
    z.maxLength(253),
    z.regex(
      /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$|^[0-9a-f:]+$/,
      'not a host name',
    ),
  );

export const mailServerEndpointSchema = z.strictObject({
  host: hostSchema,
  port: z.int().check(z.minimum(1), z.maximum(65_535)),
  security: mailSecuritySchema,
});
export type MailServerEndpoint = z.infer<typeof mailServerEndpointSchema>;

export const SPECIAL_USES = ['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive'] as const;
export type SpecialUse = (typeof SPECIAL_USES)[number];

export const FOLDER_ROLES = ['inbox', 'sent', 'drafts', 'junk', 'trash', 'archive'] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];

const folderSuggestionSchema = z.strictObject({
  path: z.string(),
  /** Why this folder: the server's special-use flag, or its name when the server flags nothing. */
  reason: z.enum(['special-use', 'name', 'inbox']),
});
export const folderMappingSchema = z.partialRecord(z.enum(FOLDER_ROLES), folderSuggestionSchema);
export type FolderMapping = z.infer<typeof folderMappingSchema>;
