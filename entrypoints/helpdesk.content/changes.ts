import { emptyTouched, type Touched } from './touched';

/**
 * What changed in a document since detection last looked. The page watcher (observe.ts) owns one log and
 * writes it; it hands the log to detection (detection.ts), which takes what is in it on each update and looks
 * only at what the mutations touched. An update without a log looks at the whole page.
 */
export interface PageChanges {
  /**
   * Look at the whole page: first look, navigation, a request from the worker, a return from the back/forward
   * cache.
   */
  full: boolean;
  /** Send the report even if it did not change (the worker forgot this tab's picture). */
  resend: boolean;
  /** What the page's mutations since the last look touched, judged as they came (Detection.sift). */
  touched: Touched;
  /** A watcher follows this document: the report may wait for the next task, after the marks. */
  watched: boolean;
  /** Elements that got an open shadow root after they were scanned (attaching one is no DOM mutation). */
  shadowHosts: Element[];
}

/** A new log for a watcher: its first look is a whole-page look. */
export function changeLog(): PageChanges {
  return { full: true, resend: false, touched: emptyTouched(), watched: true, shadowHosts: [] };
}

/** What the log holds now, leaving it empty. Without a log: a whole-page look, reported at once. */
export function takeChanges(log: PageChanges | undefined): PageChanges {
  if (!log) return { full: true, resend: false, touched: emptyTouched(), watched: false, shadowHosts: [] };
  const taken = { ...log };
  log.full = false;
  log.resend = false;
  log.touched = emptyTouched();
  log.shadowHosts = [];
  return taken;
}
