/**
 * content script -> worker: the longer words the page shows only when the admin opens them, kept in the worker
 * so the content script stays small: an opened mark's steps (lib/mark-details.ts; the page sends only which
 * scenario its row shows and how) and the banner's further help (lib/banner-help.ts). The content script
 * reads the replies with lib/content-messages.ts's zod-free checks (held to these schemas by a unit test).
 */
import * as z from 'zod/mini';
import { BANNER_HELP, MARK_DETAILS } from './content-messages';
import { defineMessage } from './message-contract';
import { FIX_CONTROLS, SCENARIO_IDS } from './scenario-titles';

const LINE = z.string().check(z.maxLength(1000));
const LINES = z.array(LINE).check(z.maxLength(30));
const titled = <T extends z.core.$ZodLooseShape>(fields: T) => z.strictObject({ title: LINE, ...fields });

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
  MARK_DETAILS,
  {
    scenario: z.enum(SCENARIO_IDS),
    primaryOfMany: z.boolean(),
    manyMailboxes: z.boolean(),
    control: z.nullable(z.enum(FIX_CONTROLS)),
  },
  markDetailsSchema,
);

export const bannerHelpRequest = defineMessage(
  BANNER_HELP,
  {},
  z.strictObject({
    stillShowing: titled({ steps: LINES }),
    keepsDropping: titled({ text: LINE }),
    ips: LINES,
    ipList: LINE,
    ipCopy: z.strictObject({ label: LINE, copied: LINE, refused: LINE }),
    retryPolicy: titled({ text: LINE }),
    ports: titled({ lines: LINES }),
  }),
);
