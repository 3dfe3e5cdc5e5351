/**
 * The benchmark's floor observer (scripts/floor-observer) must observe with the content script's own options,
 * or its cost per batch is no floor for ours.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OBSERVE } from '../../entrypoints/helpdesk.content/observe';

describe('bench baselines', () => {
  it('the floor observer uses the options of observe.ts', () => {
    const source = readFileSync(new URL('../../scripts/floor-observer/content.js', import.meta.url), 'utf8');
    const literal = /const OBSERVE = (\{[\s\S]*?\n\});/.exec(source)?.[1];
    expect(literal).toBeDefined();
    expect(new Function(`return ${literal}`)()).toEqual(OBSERVE);
  });
});
