/** The scale benchmark's counting (scripts/bench-scale-figures.ts): twice, skipped, lateness on made-up timelines. */
import { describe, expect, it } from 'vitest';
import { scheduleFigures, type ObservedCheck } from '../../scripts/bench-scale-figures';

const I = 300_000;
const check = (address: string, checkedAt: number, ready = true): ObservedCheck => ({ address, checkedAt, ready });

function figures(handedOver: Record<string, number>, checks: ObservedCheck[], windowEnd = 3 * I) {
  return scheduleFigures({
    handedOver: new Map(Object.entries(handedOver)),
    checks,
    intervalMs: I,
    windowStart: 0,
    windowEnd,
  });
}

describe('scale benchmark figures', () => {
  it('counts nothing twice or skipped when every mailbox runs on time', () => {
    const f = figures({ a: 0, b: 1000 }, [
      check('a', 2000),
      check('a', 2000 + I + 500),
      check('a', 2000 + 2 * I + 1000),
      check('b', 3000),
      check('b', 3000 + I + 200),
      check('b', 3000 + 2 * I + 400),
    ]);
    expect(f.twice).toEqual([]);
    expect(f.skipped).toEqual([]);
    expect(f.firstRoundLateness).toEqual([2, 2]);
    expect(f.laterLateness).toEqual([0.2, 0.2, 0.5, 0.5]);
    expect(f.checks).toBe(6);
  });

  it('counts a mailbox checked again within half an interval of a passed check', () => {
    const f = figures({ a: 0, b: 0 }, [check('a', 1000), check('a', 1500), check('b', 1000)], I);
    expect(f.twice).toEqual(['a']);
  });

  it('does not count the retry that follows a failed check', () => {
    const f = figures({ a: 0 }, [check('a', 1000, false), check('a', 31_000)], I);
    expect(f.twice).toEqual([]);
    expect(f.failed).toBe(1);
  });

  it('counts a mailbox whose round passed without a check, and one never checked', () => {
    const f = figures({ a: 0, b: 0, c: 0 }, [
      check('a', 1000),
      check('a', 1000 + I),
      check('a', 1000 + 2 * I),
      check('b', 1000),
      check('b', 1000 + 2 * I + 5000),
    ]);
    expect(f.skipped.sort()).toEqual(['b', 'c']);
    expect(f.neverChecked).toBe(1);
  });

  it('reports mailboxes still waiting at the end without calling them skipped within one interval', () => {
    const f = figures({ a: 0 }, [check('a', 1000)], 1000 + I + 60_000);
    expect(f.skipped).toEqual([]);
    expect(f.waitingAtEnd).toBe(1);
    expect(f.oldestWaitingS).toBe(60);
  });

  it('measures checks per second after the first interval', () => {
    const checks = Array.from({ length: 600 }, (_, i) => check(`m${i}`, I + i * 1000));
    const f = figures({}, checks, 2 * I);
    // 301 checks from I to 2I inclusive, over 300 s
    expect(f.checksPerSecond).toBeCloseTo(301 / 300, 5);
  });
});
