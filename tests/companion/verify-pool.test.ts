/**
 * Many mailboxes at once against the real stack: never more verifications in flight than the bound,
 * every one finished, results in the order asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMany } from '../../companion/src/verify/pool';
import { ACCOUNTS, startMailStack, type MailStack } from '../stack';
import { microsoftTarget, resolveRulesFor } from './verify-support';

let stack: MailStack;
beforeAll(async () => {
  stack = await startMailStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('verifyMany', () => {
  it('verifies 12 mailboxes with at most 3 in flight, in order', async () => {
    const accounts = [
      ACCOUNTS.support.email,
      ACCOUNTS.wrongUser.email,
      ACCOUNTS.imapDisabled.email,
      ACCOUNTS.delegate.email,
    ];
    const targets = await Promise.all(
      Array.from({ length: 12 }, (_, i) => microsoftTarget(stack, accounts[i % accounts.length]!)),
    );
    let inFlight = 0;
    let peak = 0;
    const started = new Set<number>();
    const verdicts = await verifyMany(targets, {
      concurrency: 3,
      resolve: resolveRulesFor(stack),
      extraCaPem: stack.ca,
      onStep: (index, step) => {
        if (step.id === 'dns' && step.status === 'running') {
          started.add(index);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
        }
      },
      onVerdict: () => {
        inFlight -= 1;
      },
    });
    expect(started.size).toBe(12);
    expect(inFlight).toBe(0);
    expect(peak).toBe(3);
    expect(verdicts).toHaveLength(12);
    verdicts.forEach((v, i) => {
      const account = accounts[i % accounts.length]!;
      if (account === ACCOUNTS.imapDisabled.email) expect(v.fixFirst?.diagnosis).toBe('imap-disabled-or-wrong-user');
      else expect(v.ready).toBe(true);
    });
  });

  it('refuses a bound below 1', async () => {
    await expect(verifyMany([], { concurrency: 0 })).rejects.toThrow(/at least 1/);
  });
});
