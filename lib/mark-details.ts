/**
 * What an opened mark shows beyond its title: the scenario's cause, the control to press, its steps, the
 * primary-address steps (Scenario 4) and the notes. Composed in the worker (mark-messages.ts) from the
 * scenario catalogue and the articles' advice, so none of that text ships in the content script.
 */
import { SCENARIO_4_OFFER, SCENARIO_EXTRA_NOTES } from './advice';
import { PRIMARY_MAILBOX_STEPS, SCENARIOS, SHARED_BANNER_NOTE } from './scenarios';
import type { FixControl, ScenarioId } from './scenario-titles';

/** What the page knows about a marked row: enough to pick the words, nothing about the mailbox itself. */
export interface MarkFacts {
  scenario: ScenarioId;
  /** The row is the primary mailbox of an account with several support emails (the seeds' Scenario 4). */
  primaryOfMany: boolean;
  /** More than one mailbox on the page: one broken mailbox raises the banner for everyone. */
  manyMailboxes: boolean;
  /** The control we highlighted in the row, if any. */
  control: FixControl | null;
}

export interface MarkDetails {
  cause: string;
  /** "Press the Re-authorize link (outlined in the row).", when a control was found. */
  press: string | null;
  stepsLabel: string;
  steps: string[];
  /** Scenario 4's steps, for the primary address of several. */
  primaryLabel: string | null;
  primarySteps: string[];
  notes: string[];
}

const CONTROL_WORDS: Record<FixControl, string> = {
  'reauthorize-link': 'the Re-authorize link',
  'sign-in-with-microsoft': 'the Sign in with Microsoft button',
  'edit-icon': 'the edit (pencil) icon',
};

export function markDetails(facts: MarkFacts): MarkDetails {
  const scenario = SCENARIOS[facts.scenario];
  const primary = facts.primaryOfMany;
  return {
    cause: scenario.cause,
    press: facts.control ? `Press ${CONTROL_WORDS[facts.control]} (outlined in the row).` : null,
    stepsLabel: `Steps (Scenario ${scenario.number}):`,
    steps: [...scenario.steps],
    primaryLabel: primary ? 'This is the primary address: reauthorize it this way (Scenario 4):' : null,
    primarySteps: primary ? [...PRIMARY_MAILBOX_STEPS] : [],
    notes: [
      ...scenario.notes,
      ...SCENARIO_EXTRA_NOTES[facts.scenario],
      ...(facts.manyMailboxes ? [SHARED_BANNER_NOTE] : []),
      ...(primary ? [] : [SCENARIO_4_OFFER]),
    ],
  };
}
