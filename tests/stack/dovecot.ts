import type { ImapServer, ImapServerOptions } from './index';

export async function startImapServer(_options: ImapServerOptions): Promise<ImapServer> {
  throw new Error('not yet');
}
