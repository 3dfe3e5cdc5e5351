/**
 * Follows the page: DOM changes (also inside open shadow roots), late renders, re-renders, and History API
 * navigation. Changes are batched: the first batch in a frame is handled at once (marks appear before the
 * page paints), further batches in the same frame wait for the next frame, so a page that keeps changing
 * costs at most about one update per frame. What changed goes to the document's change log (changes.ts), so
 * detection looks only at what the mutations touched; with a sift (Detection.sift), records are judged as they
 * come, and a batch that touches nothing that can matter (a counter ticking) asks for no update at all.
 * Attaching a shadow root to an element already on the page is no mutation: empty elements the scans saw
 * (plain shadow hosts usually are) are asked again for one, less and less often while the page stays quiet.
 * An element whose words keep changing as noise (a counter ticking in every row) is left out of what the
 * observer receives: a subtree observer gets every record below it, so the document is then observed flat along
 * the ticking elements' ancestors and whole everywhere else, and the ticking elements' words are read twice a
 * second instead of thousands of records each frame.
 */
import { changeLog, type PageChanges } from './changes';
import { isOurs } from './ours';

export const OBSERVE: MutationObserverInit = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  // Old values tell a change that matters (a status word came or went) from noise (a counter ticking).
  attributeOldValue: true,
  characterDataOldValue: true,
  // Status may be only a tooltip or an icon's label; class changes (hover states) are noise.
  attributeFilter: ['aria-label', 'title', 'href', 'role', 'hidden'],
};

/** A ticking element: its attributes only. */
const ATTRIBUTES_ONLY: MutationObserverInit = {
  attributes: true,
  attributeOldValue: true,
  attributeFilter: OBSERVE.attributeFilter!,
};
/** Ancestors of ticking elements: their own children and attributes (the rest of their subtree is observed apart). */
const FLAT: MutationObserverInit = { ...ATTRIBUTES_ONLY, childList: true };
/**
 * Text beside a ticking element: its words only. Each observe() call converts its options, and an attribute
 * filter is most of that cost: a row's text nodes need none.
 */
const WORDS_ONLY: MutationObserverInit = { characterData: true, characterDataOldValue: true };
/** How often the words of elements left out (ticking) are read again. */
const QUIET_CHECK_MS = 500;

/** Fallback when frames do not run (background tab): still catch up, just later. */
const HIDDEN_FALLBACK_MS = 200;
/** Late shadow roots: first asked this soon after a change, then twice as late each time, up to the maximum. */
const SHADOW_CHECK_FIRST_MS = 250;
const SHADOW_CHECK_MAX_MS = 4000;

function onlyOurs(nodes: NodeList): boolean {
  for (let i = 0; i < nodes.length; i++) if (!isOurs(nodes[i]!)) return false;
  return true;
}

/** The page's own changes, and the page taking our UI out (it goes back in); our own additions are left out. */
export function relevant(record: MutationRecord): boolean {
  // Removals first: a replaced text (a counter ticking) is settled without reading what was added.
  if (record.type === 'childList') return record.removedNodes.length > 0 || !onlyOurs(record.addedNodes);
  return !isOurs(record.target);
}

export interface Watcher {
  /** Observe an open shadow root the scan found (idempotent). */
  observe(root: ShadowRoot): void;
  /** Empty elements the scan saw: a shadow root attached to one later is looked at. */
  watchForShadow(candidates: readonly Element[]): void;
  /** Look at the whole page now and send the report even if unchanged (requests from the worker). */
  now(): void;
  stop(): void;
}

/**
 * Judges a batch of records into the log (its `touched`); true when anything in the log can matter now. Elements
 * it finds ticking (`touched.ticking`) the watcher leaves out.
 */
export type Sift = (records: MutationRecord[], log: PageChanges) => boolean;

/**
 * An element left out, read again as if all its content had just been put in. Its child list is asked for only
 * when its words can matter (the first ask makes a NodeList for every element).
 */
function readAgain(el: Element): MutationRecord {
  return {
    type: 'childList',
    target: el,
    removedNodes: [],
    get addedNodes() {
      return el.childNodes;
    },
  } as unknown as MutationRecord;
}

export function watchPage(win: Window, scan: (changes: PageChanges) => void, sift: Sift): Watcher {
  /** The document and the open shadow roots the scans found. */
  const roots = new Set<Node>();
  /** Elements left out of observing (ticking), and their ancestors (observed flat). */
  const ticking = new Set<Element>();
  const flat = new Set<Node>();
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
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

  const onRecords = (records: MutationRecord[]) => {
    // Children added to a flat-observed ancestor are observed whole from now on (their content is scanned); one
    // moved there that is flat or left out itself keeps what it has.
    if (flat.size > 0)
      for (const r of records) {
        if (r.type !== 'childList' || !flat.has(r.target)) continue;
        const added = r.addedNodes;
        for (let i = 0; i < added.length; i++) whole(added[i]!);
      }
    const changed = sift(records, log);
    if (log.touched.ticking.length > 0) {
      // Left out at once: the page's next batch already comes without their records.
      leaveOut(log.touched.ticking);
      log.touched.ticking = [];
    }
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
  };
  const observer = new MutationObserver(onRecords);

  /**
   * Leaves elements out of what the observer receives, without touching the rest of what it observes: their
   * ancestors are observed flat (a call on a node replaces that node's options, and a subtree observed from a
   * root no longer reaches below an ancestor observed flat), the ancestors' other children whole, the elements
   * themselves for their attributes only. What was flat stays flat: every child of a flat node is observed.
   */
  const leaveOut = (elements: readonly Element[]) => {
    const more: Element[] = [];
    for (const el of elements)
      if (!ticking.has(el) && el.isConnected) {
        ticking.add(el);
        more.push(el);
      }
    // First every new flat ancestor, so no child is observed whole and then flat.
    const newlyFlat: Node[] = [];
    for (const el of more)
      for (let a = el.parentNode; a && !flat.has(a); a = a.parentNode) {
        flat.add(a);
        newlyFlat.push(a);
      }
    for (const node of newlyFlat) {
      observer.observe(node, FLAT);
      for (let c = node.firstChild; c; c = c.nextSibling) whole(c);
    }
    for (const el of more) observer.observe(el, ATTRIBUTES_ONLY);
    if (quietTimer === undefined) quietTimer = setTimeout(checkQuiet, QUIET_CHECK_MS);
  };
  /**
   * A node beside the elements left out: observed with all below it (text: its words; comments: not at all),
   * unless it is flat or left out itself.
   */
  const whole = (node: Node) => {
    const kind = node.nodeType;
    if (flat.has(node) || ticking.has(node as Element)) return;
    if (kind === 3) observer.observe(node, WORDS_ONLY);
    else if (kind === 1) observer.observe(node, OBSERVE);
  };
  /**
   * The elements left out, read again in one sift: gone ones are forgotten; one whose words can matter again is
   * observed whole again (its ancestors stay flat: their children are all observed).
   */
  const checkQuiet = () => {
    quietTimer = undefined;
    if (stopped) return;
    const again: MutationRecord[] = [];
    for (const el of ticking) {
      // Gone (a virtualised list drops rows all the time): forgotten (its registration is harmless).
      if (!el.isConnected) ticking.delete(el);
      else again.push(readAgain(el));
    }
    for (const node of flat) if (!node.isConnected) flat.delete(node);
    const woken = changeLog();
    if (again.length > 0 && sift(again, woken)) {
      const { dirty, added } = woken.touched;
      const matter = [...dirty, ...added.keys()].filter((el) => ticking.has(el));
      // Something can matter but no element says so (a settings-form assistant reads every change): all of them.
      for (const el of matter.length > 0 ? matter : [...ticking]) {
        ticking.delete(el);
        observer.observe(el, OBSERVE);
        log.touched.dirty.add(el);
      }
      request();
    }
    if (ticking.size > 0) quietTimer = setTimeout(checkQuiet, QUIET_CHECK_MS);
  };

  const observe = (root: Node) => {
    if (roots.has(root)) return;
    roots.add(root);
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
  const listening = new AbortController();
  const { signal } = listening;
  win.addEventListener('pageshow', onPageShow, { signal });
  win.addEventListener('popstate', onNavigate, { signal });
  win.addEventListener('hashchange', onNavigate, { signal });
  // Chromium's Navigation API also reports pushState/replaceState made by page scripts, which an isolated
  // world cannot patch; elsewhere the DOM change that comes with a navigation (or a location poll) catches it.
  (win as Window & { navigation?: EventTarget }).navigation?.addEventListener('currententrychange', onNavigate, {
    signal,
  });

  return {
    observe,
    watchForShadow(found) {
      candidates = found;
      clearTimeout(shadowTimer);
      shadowTimer = found.length > 0 ? setTimeout(checkShadows, shadowDelay) : undefined;
    },
    now: lookAgain,
    stop() {
      stopped = true;
      clearTimeout(shadowTimer);
      clearTimeout(quietTimer);
      observer.disconnect();
      if (frame) win.cancelAnimationFrame(frame);
      clearTimeout(fallback);
      listening.abort();
    },
  };
}
