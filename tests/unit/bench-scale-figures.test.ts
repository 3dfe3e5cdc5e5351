/** The scale benchmark's counting (scripts/bench-scale-figures.ts): twice, skipped, lateness on made-up timelines. */
import { describe, expect, it } from 'vitest';
import { type ObservedCheck, scheduleFigures, twiceInServerLog } from '../../scripts/bench-scale-figures';

const I = 300_000;
/** A check of `address` for the due time `due` that started `late` ms after it and took 500 ms. */
const check = (address: string, due: number, late = 0, ready = true, instance = 'a:1'): ObservedCheck => ({
  address,
  dueAt: due,
  startedAt: due + late,
  checkedAt: due + late + 500,
  instance,
  ready,
});

function figures(handedOver: Record<string, number>, checks: ObservedCheck[], windowEnd = 3 * I) {
  return scheduleFigures({
    handedOver: new Map(Object.entries(handedOver)),
    checks,
    intervalMs: I,
    windowStart: 0,
    windowEnd,
  });
}

/** Checks of `address` every interval from `from`, each `late` ms late, until `until`. */
function onTime(address: string, from: number, until: number, late = 0): ObservedCheck[] {
  const checks: ObservedCheck[] = [];
  for (let due = from; due < until; ) {
    const c = check(address, due, late);
    checks.push(c);
    due = c.checkedAt + I;
  }
  return checks;
}

describe('scale benchmark figures', () => {
  it('counts nothing twice or skipped when every mailbox runs on time', () => {
    const f = figures({ a: 0, b: 1000 }, [...onTime('a', 0, 3 * I, 200), ...onTime('b', 1000, 3 * I, 400)]);
    expect(f.twice).toEqual([]);
    expect(f.skipped).toEqual([]);
    expect(f.firstRoundLateness).toEqual([0.2, 0.4]);
    expect(f.laterLateness).toEqual([0.2, 0.2, 0.4, 0.4]);
    expect(f.durations.every((d) => d === 0.5)).toBe(true);
    expect(f.checks).toBe(6);
  });

  it('counts a mailbox checked twice for one due time (two instances took the same row)', () => {
    const f = figures({ a: 0, b: 0 }, [check('a', 0, 100), check('a', 0, 200, true, 'b:2'), check('b', 0)], I);
    expect(f.twice).toEqual(['a']);
    expect(f.byInstance).toEqual({ 'a:1': 2, 'b:2': 1 });
  });

  it('counts a mailbox checked again within half an interval of a passed check', () => {
    const f = figures({ a: 0 }, [check('a', 0), check('a', 10_000)], I);
    expect(f.twice).toEqual(['a']);
  });

  it('does not count the retry that follows a failed check', () => {
    const f = figures({ a: 0 }, [check('a', 0, 0, false), check('a', 30_500)], I);
    expect(f.twice).toEqual([]);
    expect(f.failed).toBe(1);
  });

  it('counts a mailbox whose round passed without a check, and one never checked', () => {
    const late = check('b', I + 500, I + 5000);
    const f = figures({ a: 0, b: 0, c: 0 }, [...onTime('a', 0, 3 * I), check('b', 0), late]);
    expect(f.skipped.sort()).toEqual(['b', 'c']);
    expect(f.neverChecked).toBe(1);
  });

  it('reports mailboxes still waiting at the end without calling them skipped within one interval', () => {
    const f = figures({ a: 0 }, [check('a', 0)], 500 + I + 60_000);
    expect(f.skipped).toEqual([]);
    expect(f.waitingAtEnd).toBe(1);
    expect(f.oldestWaitingS).toBe(60);
  });

  it('falls back to the end of the check where the log has no start time', () => {
    const { startedAt: _, ...noStart } = check('a', 0, 1000);
    const f = figures({ a: 0 }, [noStart], I);
    expect(f.firstRoundLateness).toEqual([1.5]);
    expect(f.durations).toEqual([]);
  });

  it('measures checks per second after the first interval', () => {
    const checks = Array.from({ length: 600 }, (_, i) => check(`m${i}`, I + i * 1000 - 500));
    const f = figures({}, checks, 2 * I);
    // 301 checks end from I to 2I inclusive, over 300 s
    expect(f.checksPerSecond).toBeCloseTo(301 / 300, 5);
  });
});

describe("the mail server's log: logins close together", () => {
  const logins = (times: Record<string, number[]>) =>
    new Map(Object.entries(times).map(([a, ts]) => [a, ts.map((t) => ({ checkedAt: t }))]));
  it('two logins in one round count as twice', () => {
    expect(twiceInServerLog(logins({ a: [10_000, 40_000], b: [10_000, 10_000 + I] }), [], I)).toEqual(['a']);
  });
  it("a failed check's designed retry 30 s later does not (the store has the first one not ready)", () => {
    const failed = { ...check('a', 8_000, 0, false), checkedAt: 12_000 };
    expect(twiceInServerLog(logins({ a: [10_000, 40_000] }), [failed], I)).toEqual([]);
    // ... but a failure of another mailbox, or one long before the login, excuses nothing
    expect(twiceInServerLog(logins({ a: [10_000, 40_000] }), [{ ...failed, address: 'b' }], I)).toEqual(['a']);
    expect(twiceInServerLog(logins({ a: [100_000, 130_000] }), [failed], I)).toEqual(['a']);
  });
});
