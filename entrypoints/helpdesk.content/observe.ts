/**
 * Follows the page: DOM changes (also inside open shadow roots), late renders, re-renders, and History API
 * navigation. Changes are batched: the first batch in a frame is handled at once (marks appear before the
 * page paints), further batches in the same frame wait for the next frame, so a page that keeps changing
 * costs at most about one update per frame. Records are judged as they come (the sift, Detection.sift) into
 * the document's change log (changes.ts), so detection looks only at what the mutations touched, and a batch
 * that touches nothing that can matter (a counter ticking) asks for no update at all.
 * Attaching a shadow root to an element already on the page is no mutation: empty elements the scans saw
 * (plain shadow hosts usually are) are asked again for one, less and less often while the page stays quiet.
 */
import { changeLog, type PageChanges } from './changes';
import { LABELS, REFERENCES } from './scan';

export const OBSERVE: MutationObserverInit = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  // Old values tell a change that matters (a status word came or went) from noise (a counter ticking).
  attributeOldValue: true,
  characterDataOldValue: true,
  // Status may be only a tooltip or an icon's label; class changes (hover states) are noise.
  attributeFilter: [...LABELS, ...REFERENCES, 'href', 'role', 'hidden'],
};

/** How often the address is checked where the Navigation API does not report pushState. */
const LOCATION_POLL_MS = 1000;
/** Fallback when frames do not run (background tab): still catch up, just later. */
const HIDDEN_FALLBACK_MS = 200;
/** Late shadow roots: first asked this soon after a change, then twice as late each time, up to the maximum. */
const SHADOW_CHECK_FIRST_MS = 250;
const SHADOW_CHECK_MAX_MS = 4000;
/**
 * Elements watched for a late shadow root at most (a small page's plain elements, the empty ones of a larger
 * one): a page with more is a big list, not a few plain hosts.
 */
export const MAX_SHADOW_CANDIDATES = 2000;

export interface Watcher {
  /** Observe an open shadow root the scan found (idempotent). */
  observe(root: ShadowRoot): void;
  /** Empty elements the scans saw (added to those still waiting): a shadow root attached to one later is looked at. */
  watchForShadow(candidates: readonly Element[]): void;
  /** Look at the whole page now and send the report even if unchanged (requests from the worker). */
  now(): void;
  stop(): void;
}

/** Judges a batch of records into the log (its `touched`); true when anything in the log can matter now. */
export type Sift = (records: MutationRecord[], log: PageChanges) => boolean;

export function watchPage(win: Window, scan: (changes: PageChanges) => void, sift: Sift): Watcher {
  const observed = new WeakSet<Node>();
  let scannedThisFrame = false;
  let pending = false;
  let frame = 0;
  let fallback: ReturnType<typeof setTimeout> | undefined;
  let href = win.location.href;
  let stopped = false;
  const log = changeLog();
  let candidates: readonly Element[] = [];
  let shadowTimer: ReturnType<typeof setTimeout> | undefined;
  let shadowDelay = SHADOW_CHECK_FIRST_MS;

  const run = () => {
    if (stopped) return;
    pending = false;
    href = win.location.href;
    scan(log);
  };
  const checkShadows = () => {
    shadowTimer = undefined;
    if (stopped) return;
    const late = candidates.filter((el) => (el as HTMLElement).shadowRoot && el.isConnected);
    if (late.length > 0) {
      candidates = candidates.filter((el) => !late.includes(el));
      log.shadowHosts.push(...late);
      request();
    }
    shadowDelay = Math.min(shadowDelay * 2, SHADOW_CHECK_MAX_MS);
    if (candidates.length > 0) shadowTimer = setTimeout(checkShadows, shadowDelay);
  };
  const endOfFrame = () => {
    frame = 0;
    clearTimeout(fallback);
    fallback = undefined;
    scannedThisFrame = false;
    if (pending) {
      run();
      armFrame();
    }
  };
  const armFrame = () => {
    scannedThisFrame = true;
    if (!frame) frame = win.requestAnimationFrame(endOfFrame);
    if (fallback === undefined) fallback = setTimeout(endOfFrame, HIDDEN_FALLBACK_MS);
  };
  const request = () => {
    if (scannedThisFrame) {
      pending = true;
      return;
    }
    run();
    armFrame();
  };

  const observer = new MutationObserver((records) => {
    const changed = sift(records, log);
    if (win.location.href !== href) log.full = true;
    if (changed || log.full) {
      // The page is changing: a shadow root may come with it soon.
      shadowDelay = SHADOW_CHECK_FIRST_MS;
      if (candidates.length > 0) {
        clearTimeout(shadowTimer);
        shadowTimer = setTimeout(checkShadows, shadowDelay);
      }
      request();
    }
  });
  const observe = (root: Node) => {
    if (observed.has(root)) return;
    observed.add(root);
    observer.observe(root, OBSERVE);
  };
  observe(win.document);

  // The navigation events come before the page renders the new view (pushState, then render; Back fires
  // currententrychange before popstate): look at the end of the frame, once the view is there, so the
  // worker never gets the old view under the new address.
  const onNavigate = () => {
    if (win.location.href === href) return;
    log.full = true;
    pending = true;
    if (!scannedThisFrame) armFrame();
  };
  const lookAgain = () => {
    log.full = true;
    log.resend = true;
    run();
  };
  // Back/forward cache: the page comes back as it was, but the worker cleared the tab's picture on commit.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) lookAgain();
  };
  win.addEventListener('pageshow', onPageShow);
  win.addEventListener('popstate', onNavigate);
  win.addEventListener('hashchange', onNavigate);
  // Chromium's Navigation API also reports pushState/replaceState made by page scripts, which an isolated
  // world cannot patch; elsewhere the DOM change that comes with a navigation (or the poll below) catches it.
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', onNavigate);
  // Without it (Firefox ESR), a pushState that changes nothing on the page is caught by a poll.
  const poll = navigation ? undefined : setInterval(onNavigate, LOCATION_POLL_MS);

  return {
    observe,
    watchForShadow(found) {
      // Added to the ones still on the page, up to the limit.
      candidates = [...new Set([...candidates, ...found])]
        .filter((el) => el.isConnected)
        .slice(0, MAX_SHADOW_CANDIDATES);
      clearTimeout(shadowTimer);
      shadowTimer = candidates.length > 0 ? setTimeout(checkShadows, shadowDelay) : undefined;
    },
    now: lookAgain,
    stop() {
      stopped = true;
      clearTimeout(shadowTimer);
      observer.disconnect();
      if (frame) win.cancelAnimationFrame(frame);
      clearTimeout(fallback);
      win.removeEventListener('popstate', onNavigate);
      win.removeEventListener('hashchange', onNavigate);
      win.removeEventListener('pageshow', onPageShow);
      navigation?.removeEventListener('currententrychange', onNavigate);
      clearInterval(poll);
    },
  };
}
