/**
 * The popup's first script (a classic script in popup.html's head, built on its own): asks the worker for the
 * popup's picture while the page is still being parsed and its UI's modules load (components/popup-early.ts).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { askEarly, leaveEarly } from '../components/popup-early';
import { COMPANION_STATE_PORT, HELPDESK_PICKER_STATUS, POPUP_STATE_PORT, SIGNIN_STATE_PORT } from '../lib/page-ports';

export default defineUnlistedScript(() => {
  leaveEarly(askEarly([POPUP_STATE_PORT, SIGNIN_STATE_PORT, COMPANION_STATE_PORT], [HELPDESK_PICKER_STATUS]));
});
