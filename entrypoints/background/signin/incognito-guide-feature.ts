/** The guided incognito sign-out's messages from the popup (the guide itself: incognito-guide.ts). */
import {
  incognitoGuideCloseSchema,
  incognitoGuideMarkSchema,
  incognitoGuideOpenSchema,
  incognitoGuideStartSchema,
} from '../../../lib/signin';
import { route } from '../router';
import type { SigninShared } from './shared';

export function installIncognitoGuide({ app, guide }: SigninShared): void {
  const { router } = app;
  router.register(
    route({
      kind: 'incognito-guide-start',
      schema: incognitoGuideStartSchema,
      from: 'extension-page',
      handle: ({ mailbox, helpdeskUrl }) => guide.start(mailbox, helpdeskUrl),
    }),
  );
  router.register(
    route({ kind: 'incognito-guide-open', schema: incognitoGuideOpenSchema, from: 'extension-page', handle: ({ what }) => guide.open(what) }),
  );
  router.register(
    route({
      kind: 'incognito-guide-mark',
      schema: incognitoGuideMarkSchema,
      from: 'extension-page',
      handle: ({ step, done }) => guide.mark(step, done),
    }),
  );
  router.register(
    route({ kind: 'incognito-guide-close', schema: incognitoGuideCloseSchema, from: 'extension-page', handle: () => guide.close() }),
  );
}
