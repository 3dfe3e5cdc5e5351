/** The guided incognito sign-out's messages from the popup (the guide itself: incognito-guide.ts). */
import { incognitoGuideClose, incognitoGuideMark, incognitoGuideOpen, incognitoGuideStart } from '../../../lib/signin';
import type { SigninShared } from './shared';

export function installIncognitoGuide({ app, guide }: SigninShared): void {
  const { router } = app;
  router.register({
    message: incognitoGuideStart,
    from: 'extension-page',
    handle: ({ mailbox, helpdeskUrl }) => guide.start(mailbox, helpdeskUrl),
  });
  router.register({ message: incognitoGuideOpen, from: 'extension-page', handle: ({ what }) => guide.open(what) });
  router.register({
    message: incognitoGuideMark,
    from: 'extension-page',
    handle: ({ step, done }) => guide.mark(step, done),
  });
  router.register({ message: incognitoGuideClose, from: 'extension-page', handle: () => guide.close() });
}
