/**
 * Shared setup for the verification tests: the real stack (tests/stack), resolve rules that send the
 * production mail host names to its ports (as the companion's --resolve does), and targets with fresh
 * tokens from the real identity provider.
 */
import type { ResolveRule } from '../../companion/src/outbound';
import type { StepResult, VerifyTarget } from '../../lib/verification';
import type { MailStack } from '../stack';

export function resolveRulesFor(stack: MailStack, extra: ResolveRule[] = []): ResolveRule[] {
  const rules = Object.entries(stack.mailHostMap).map(([hostPort, to]) => {
    const [host, port] = hostPort.split(':');
    return { host: host!, port: Number(port), address: to.host, targetPort: to.port };
  });
  return [...extra, ...rules];
}

export const MICROSOFT_SERVERS = {
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
} as const satisfies Pick<VerifyTarget, 'imap' | 'smtp'>;

export async function microsoftTarget(
  stack: MailStack,
  account: string,
  overrides: Partial<VerifyTarget> & { mailbox?: string; ttl?: number } = {},
): Promise<VerifyTarget> {
  const { mailbox, ttl, ...rest } = overrides;
  const tokens = await stack.idp.issueTokens({ account, ...(ttl ? { accessTokenTtl: ttl } : {}) });
  return {
    address: mailbox ?? account,
    ...MICROSOFT_SERVERS,
    provider: 'microsoft',
    auth: { user: account, accessToken: tokens.access_token, expiresAt: Date.now() + tokens.expires_in * 1000 },
    ...rest,
  };
}

/** Records the streamed steps; `final(id)` is the last event of a step. */
export function stepRecorder() {
  const events: StepResult[] = [];
  return {
    events,
    onStep: (s: StepResult) => events.push(s),
    final: (id: StepResult['id']) => [...events].reverse().find((e) => e.id === id),
  };
}
