/**
 * The words the worker sends an opened mark and the banner's help (lib/mark-details.ts, lib/banner-help.ts):
 * each scenario's own steps and notes, Scenario 4 for a primary of several, and replies that pass the
 * message's own reply schema (what the content script checks).
 */
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { bannerHelp } from '../../lib/banner-help';
import { markDetails } from '../../lib/mark-details';
import { bannerHelpRequest, markDetailsRequest } from '../../lib/page-help-messages';
import { PRIMARY_MAILBOX_STEPS, SCENARIO_IDS, SCENARIOS, SHARED_BANNER_NOTE } from '../../lib/scenarios';

const OFFER = 'Standard steps did not clear it?';

describe('markDetails', () => {
  it.each(SCENARIO_IDS)('%s: its cause, steps and notes; the reply passes its schema', (scenario) => {
    const details = markDetails({ scenario, primaryOfMany: false, manyMailboxes: true, control: 'edit-icon' });
    expect(details.cause).toBe(SCENARIOS[scenario].cause);
    expect(details.steps).toEqual(SCENARIOS[scenario].steps);
    expect(details.stepsLabel).toBe(`Steps (Scenario ${SCENARIOS[scenario].number}):`);
    expect(details.press).toBe('Press the edit (pencil) icon (outlined in the row).');
    expect(details.notes).toEqual(expect.arrayContaining([...SCENARIOS[scenario].notes, SHARED_BANNER_NOTE]));
    expect(details.primarySteps).toEqual([]);
    expect(z.safeParse(markDetailsRequest.reply, details).success).toBe(true);
  });

  it('the primary address of several gets Scenario 4 steps instead of the offer', () => {
    const facts = { scenario: 'microsoft-oauth-expired', control: null } as const;
    const primary = markDetails({ ...facts, primaryOfMany: true, manyMailboxes: true });
    expect(primary.primarySteps).toEqual(PRIMARY_MAILBOX_STEPS);
    expect(primary.press).toBeNull();
    expect(primary.notes.some((n) => n.startsWith(OFFER))).toBe(false);
    const single = markDetails({ ...facts, primaryOfMany: false, manyMailboxes: false });
    expect(single.notes).not.toContain(SHARED_BANNER_NOTE);
    expect(single.notes.some((n) => n.startsWith(OFFER))).toBe(true);
  });

  it('the request names only a known scenario and control', () => {
    const ok = { kind: 'mark-details', scenario: 'password-expired', primaryOfMany: false, manyMailboxes: false };
    expect(z.safeParse(markDetailsRequest.request, { ...ok, control: 'edit-icon' }).success).toBe(true);
    expect(z.safeParse(markDetailsRequest.request, { ...ok, control: 'delete-button' }).success).toBe(false);
    expect(z.safeParse(markDetailsRequest.request, { ...ok, scenario: 'other', control: null }).success).toBe(false);
  });
});

it('bannerHelp: the 18 addresses one a line, and a reply that passes its schema', () => {
  const help = bannerHelp();
  expect(help.ips).toHaveLength(18);
  expect(help.ipList.split('\n')).toEqual(help.ips);
  expect(z.safeParse(bannerHelpRequest.reply, help).success).toBe(true);
});
