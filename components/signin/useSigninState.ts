/**
 * Sign-in state pushed by the worker over its own runtime port (one per page, shared by every mailbox's
 * panel), on connect and on every change: a popup reopened after it closed mid-flow shows where the flow is.
 */
import { SIGNIN_STATE_PORT } from '../../lib/page-ports';
import type { SigninPopupState } from '../../lib/signin';
import { livePortState } from '../live-port-state';

export const useSigninState = livePortState<SigninPopupState>(SIGNIN_STATE_PORT, 'signin-state');
