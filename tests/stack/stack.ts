import type { MailStack, MailStackOptions } from './index';

export async function startMailStack(_options: MailStackOptions = {}): Promise<MailStack> {
  throw new Error('not yet');
}
