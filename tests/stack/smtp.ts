import type { SmtpServer, SmtpServerOptions } from './index';

export async function startSmtpServer(_options: SmtpServerOptions): Promise<SmtpServer> {
  throw new Error('not yet');
}
