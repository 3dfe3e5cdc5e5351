/**
 * What changed in a document since detection last looked. The page watcher (observe.ts) writes it; detection
 * (detection.ts) takes it on each update and looks only at what the mutations touched. A document no watcher
 * follows gets a whole-page look on every update.
 */
export interface PageChanges {
  /** Look at the whole page: first look, navigation, a request from the worker, a return from the back/forward cache. */
  full: boolean;
  /** Send the report even if it did not change (the worker forgot this tab's picture). */
  resend: boolean;
  /** The page's own mutations since the last look (never only ours). */
  records: MutationRecord[];
  /** A watcher follows this document: the report may wait for the next task, after the marks. */
  watched: boolean;
}

const logs = new WeakMap<Document, PageChanges>();

function fresh(watched: boolean): PageChanges {
  return { full: !watched, resend: false, records: [], watched };
}

export function watchChanges(doc: Document): PageChanges {
  const log = fresh(true);
  log.full = true;
  logs.set(doc, log);
  return log;
}

export function unwatchChanges(doc: Document): void {
  logs.delete(doc);
}

export function takeChanges(doc: Document): PageChanges {
  const log = logs.get(doc);
  if (!log) return fresh(false);
  const taken = { ...log };
  log.full = false;
  log.resend = false;
  log.records = [];
  return taken;
}
