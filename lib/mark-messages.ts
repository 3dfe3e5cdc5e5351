/**
 * content script -> worker: the words of an opened mark (lib/mark-details.ts). The page sends only which
 * scenario its row shows and how; the worker answers the text. zod/mini: the content script imports it.
 */
import * as z from 'zod/mini';
import { defineMessage } from './message-contract';
import { FIX_CONTROLS, SCENARIO_IDS } from './scenario-titles';

const LINE = z.string().check(z.maxLength(1000));
const LINES = z.array(LINE).check(z.maxLength(30));

const markDetailsSchema = z.strictObject({
  cause: LINE,
  press: z.nullable(LINE),
  stepsLabel: LINE,
  steps: LINES,
  primaryLabel: z.nullable(LINE),
  primarySteps: LINES,
  notes: LINES,
});

export const markDetailsRequest = defineMessage(
  'mark-details',
  {
    scenario: z.enum(SCENARIO_IDS),
    primaryOfMany: z.boolean(),
    manyMailboxes: z.boolean(),
    control: z.nullable(z.enum(FIX_CONTROLS)),
  },
  markDetailsSchema,
);
