/**
 * The mail world of the scale benchmark (scripts/bench-scale.ts), in a process of its own so its CPU is counted
 * apart from the companions': the identity provider and the SMTP server (this Node process) and Dovecot (its
 * child processes). REAUTH_STACK_BENCH_MAILBOXES=N makes box1..boxN@contoso.test; this signs each in once through
 * the provider's real authorize and token endpoints and writes the token sets to a 0600 file in the stack's
 * folder (test tokens of a throw-away provider, gone with the folder).
 *
 *   node --import tsx scripts/bench-scale-stack.ts   (prints one JSON line, stays up until SIGTERM)
 *
 * BENCH_TOKEN_TTL_S: access token lifetime (default 6 h), longer than the whole benchmark, so no refresh falls in a
 * run: the figures are the checks alone (a refresh adds one token request per mailbox and lifetime).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { startMailStack } from '../tests/stack';

const count = Number(process.env.REAUTH_STACK_BENCH_MAILBOXES ?? 0);
const ttl = Number(process.env.BENCH_TOKEN_TTL_S ?? 6 * 3600);
// Dovecot as an operator runs it at volume (docs/team-postgres.md, Scale); BENCH_SCALE_TUNED=0 measures the test
// stack's one process per connection instead.
const reuseProcesses = process.env.BENCH_SCALE_TUNED !== '0';
const stack = await startMailStack({ seed: false, tuning: { reuseProcesses } });

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

const started = Date.now();
const issue = pLimit(16);
let done = 0;
const tokens = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    issue(async () => {
      const set = await stack.idp.issueTokens({ account: `box${i + 1}@contoso.test`, accessTokenTtl: ttl });
      done += 1;
      if (done % 1000 === 0) process.stderr.write(`  tokens issued: ${done}/${count}\n`);
      return set;
    }),
  ),
);
const tokensFile = join(stack.imap.dir, 'bench-tokens.json');
writeFileSync(tokensFile, JSON.stringify(tokens), { mode: 0o600 });
process.stdout.write(
  `${JSON.stringify({
    ready: true,
    ...stack.describe(),
    accounts: undefined,
    mailHostMap: stack.mailHostMap,
    imapDir: stack.imap.dir,
    tokensFile,
    issueSeconds: (Date.now() - started) / 1000,
  })}\n`,
);
