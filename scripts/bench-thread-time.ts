/**
 * The main thread's CPU time from the end of a list's insertion to its last row's attribute, read from a
 * Chromium trace (the thread time of the script calls between the bench page's two performance marks). Wall
 * time on a shared 2-core machine includes waiting for a core: in a slow run the callback's wall time was 2.3x
 * its thread time. Thread time is what the detector itself costs, whatever the machine's other work.
 */
import type { BrowserContext, CDPSession } from '@playwright/test';
import { INSERTED_MARK, insertRows, MARKED_MARK, openWithContentScript } from './detection-bench-page';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
}

async function traced(cdp: CDPSession, run: () => Promise<unknown>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
  await run();
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

/** Thread milliseconds of the script calls between the page's 'inserted' and 'marked' marks. */
export function scriptThreadMs(events: readonly TraceEvent[]): number {
  const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('user_timing'))?.ts;
  const from = mark(INSERTED_MARK);
  const to = mark(MARKED_MARK);
  if (from === undefined || to === undefined) throw new Error('The bench page set no performance marks.');
  let us = 0;
  for (const e of events)
    if (e.ph === 'X' && e.name === 'FunctionCall' && e.ts >= from && e.ts <= to) us += e.tdur ?? e.dur ?? 0;
  return us / 1000;
}

/** One insertion of `rows` rows on a new page of `context`, traced: its script thread time. */
export async function insertThreadMs(context: BrowserContext, url: string, rows: number): Promise<number> {
  const page = await openWithContentScript(context, url);
  const cdp = await context.newCDPSession(page);
  const events = await traced(cdp, () => insertRows(page, rows, false));
  await cdp.detach();
  await page.close();
  return scriptThreadMs(events);
}
