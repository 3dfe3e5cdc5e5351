/**
 * The mailbox's folders with their roles (RFC 6154 special-use flags \Sent \Drafts \Junk \Trash
 * \Archive), and a suggested mapping for a helpdesk's folder dropdowns (Salesorder's "Default Folder
 * Mappings"). A server's own flag wins over a folder's name; names are the fallback for servers without
 * SPECIAL-USE.
 */
import type { ImapFlow, ListResponse } from 'imapflow';
import {
  SPECIAL_USES,
  type FolderInfo,
  type FolderMapping,
  type FolderRole,
  type SpecialUse,
  type VerifyTarget,
} from '../../../lib/verification';
import type { ConnectOptions } from './connect';
import { logoutQuietly, openImapSession } from './imap-session';

const ROLE_OF: Readonly<Record<SpecialUse, FolderRole>> = {
  '\\Sent': 'sent',
  '\\Drafts': 'drafts',
  '\\Junk': 'junk',
  '\\Trash': 'trash',
  '\\Archive': 'archive',
};

function isSpecialUse(value: string | undefined): value is SpecialUse {
  return (SPECIAL_USES as readonly string[]).includes(value ?? '');
}

export function folderInfo(entry: ListResponse): FolderInfo {
  const specialUse = isSpecialUse(entry.specialUse) ? entry.specialUse : undefined;
  return {
    path: entry.path,
    name: entry.name,
    ...(entry.delimiter ? { delimiter: entry.delimiter } : {}),
    ...(specialUse
      ? { specialUse, specialUseFrom: entry.specialUseSource === 'name' ? ('name' as const) : ('server' as const) }
      : {}),
    flags: [...entry.flags],
  };
}

export async function listFolders(client: ImapFlow): Promise<FolderInfo[]> {
  const entries = await client.list();
  return entries.filter((e) => !e.flags.has('\\Noselect') && !e.flags.has('\\NonExistent')).map(folderInfo);
}

/** One folder per role; a server flag beats a name match, the first of equals wins. */
export function suggestFolderMapping(folders: readonly FolderInfo[]): FolderMapping {
  const mapping: FolderMapping = {};
  const inbox = folders.find((f) => f.path.toUpperCase() === 'INBOX');
  if (inbox) mapping.inbox = { path: inbox.path, reason: 'inbox' };
  for (const source of ['server', 'name'] as const) {
    for (const f of folders) {
      if (!f.specialUse || f.specialUseFrom !== source) continue;
      const role = ROLE_OF[f.specialUse];
      if (!mapping[role]) mapping[role] = { path: f.path, reason: source === 'server' ? 'special-use' : 'name' };
    }
  }
  return mapping;
}

/** Open the mailbox, list its folders and suggest the mapping (Salesorder's folder dropdowns). */
export async function mailboxFolders(
  target: Pick<VerifyTarget, 'address' | 'imap' | 'auth'>,
  options: ConnectOptions & { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ folders: FolderInfo[]; mapping: FolderMapping }> {
  const client = await openImapSession(
    target.imap,
    { user: target.address, accessToken: target.auth.accessToken },
    options,
  );
  try {
    const folders = await listFolders(client);
    return { folders, mapping: suggestFolderMapping(folders) };
  } finally {
    await logoutQuietly(client);
  }
}
