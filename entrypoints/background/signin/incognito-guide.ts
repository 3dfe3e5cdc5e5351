/**
 * The guided incognito sign-out, worker side: the guide's progress survives the popup closing (it closes
 * as soon as the private window takes focus), and the private window is opened from here when the browser
 * lets the extension into incognito. launchWebAuthFlow does not work in incognito, so nothing here signs in:
 * the admin signs in to the helpdesk in the private window and presses its own Re-authorize.
 */
import browser, { type Storage } from 'webextension-polyfill';
import {
  incognitoGuideStateSchema,
  incognitoStepViews,
  markIncognitoStep,
  privateWindowPlan,
  startIncognitoGuide,
  type IncognitoGuideState,
  type IncognitoStepId,
  type SigninPopupState,
} from '../../../lib/signin';
import { MICROSOFT_LOGOUT_URL } from '../../../lib/providers';
import { UserFacingError } from '../router';

const SESSION_KEY = 'incognitoGuide';

export class IncognitoGuide {
  private state: IncognitoGuideState | null = null;
  private readonly ready: Promise<void>;

  constructor(
    private readonly session: Storage.StorageArea,
    private readonly changed: () => void,
  ) {
    this.ready = this.restore();
    browser.windows.onRemoved.addListener((windowId) => void this.windowClosed(windowId));
  }

  private async restore(): Promise<void> {
    const parsed = incognitoGuideStateSchema.safeParse((await this.session.get(SESSION_KEY))[SESSION_KEY]);
    if (parsed.success && this.state === null) this.state = parsed.data;
  }

  private async save(next: IncognitoGuideState | null): Promise<void> {
    this.state = next;
    if (next) await this.session.set({ [SESSION_KEY]: next });
    else await this.session.remove(SESSION_KEY);
    this.changed();
  }

  private async windowClosed(windowId: number): Promise<void> {
    await this.ready;
    if (this.state?.windowId === windowId) await this.save({ ...this.state, windowId: undefined });
  }

  async start(mailbox: string, helpdeskUrl: string): Promise<void> {
    await this.ready;
    await this.save(startIncognitoGuide(mailbox, helpdeskUrl));
  }

  async mark(step: IncognitoStepId, done: boolean): Promise<void> {
    const state = await this.current();
    await this.save(markIncognitoStep(state, step, done));
  }

  async close(): Promise<void> {
    await this.ready;
    await this.save(null);
  }

  /** A sign-in for `mailbox` succeeded: its guide has nothing left to do. */
  async closeFor(mailbox: string): Promise<void> {
    await this.ready;
    if (this.state?.mailbox === mailbox.trim().toLowerCase()) await this.save(null);
  }

  async open(what: 'helpdesk' | 'sign-out'): Promise<void> {
    const state = await this.current();
    if (!(await browser.extension.isAllowedIncognitoAccess())) {
      throw new UserFacingError('Reauth Assist may not open private windows. Open one yourself with the shortcut shown, or allow it in incognito.');
    }
    const url = what === 'helpdesk' ? state.helpdeskUrl : MICROSOFT_LOGOUT_URL;
    if (state.windowId !== undefined) {
      try {
        await browser.tabs.create({ windowId: state.windowId, url, active: true });
        await browser.windows.update(state.windowId, { focused: true });
        return;
      } catch {
        // the window is gone: open a new one below
      }
    }
    const created = await browser.windows.create({ incognito: true, url });
    if (!created?.id) {
      throw new UserFacingError('The browser did not give Reauth Assist the private window. Open one yourself with the shortcut shown.');
    }
    let next: IncognitoGuideState = { ...state, windowId: created.id };
    if (what === 'helpdesk') next = markIncognitoStep(next, 'open-private-window', true);
    await this.save(next);
  }

  async view(): Promise<SigninPopupState['guide']> {
    await this.ready;
    if (!this.state) return null;
    const platform = (await browser.runtime.getPlatformInfo()).os === 'mac' ? 'mac' : 'other';
    const plan = privateWindowPlan(this.state.helpdeskUrl, {
      incognitoAllowed: await browser.extension.isAllowedIncognitoAccess(),
      browser: import.meta.env.FIREFOX ? 'firefox' : 'chrome',
      platform,
    });
    return { state: this.state, plan, steps: incognitoStepViews(this.state, plan) };
  }

  private async current(): Promise<IncognitoGuideState> {
    await this.ready;
    if (!this.state) throw new UserFacingError('The guided sign-out is not open. Start it again from the mailbox.');
    return this.state;
  }
}
