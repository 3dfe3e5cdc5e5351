/**
 * The options page draws once every section knows what it shows (the popup's rule, components/popup-ready.ts):
 * no "Loading…" replaced a moment later, no section popping in and pushing the others down. Each section says
 * when its first state is known (a failure it shows counts); until all have, the page shows a skeleton.
 */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';

export const OPTIONS_SECTIONS = ['origins', 'signin', 'helpdesk-picker', 'companion', 'alerts'] as const;
export type OptionsSection = (typeof OPTIONS_SECTIONS)[number];

/** A section that never learns its state (a worker that does not answer) leaves the page drawn as it is. */
const PATIENCE_MS = 1500;

/** Set on <html> once the sections are shown (tests wait for it). */
export const OPTIONS_READY_ATTR = 'data-options-ready';

const known = new Set<OptionsSection>();
const onKnown = new Set<() => void>();

/** A section's report: `isKnown` once its first state (or the failure it shows) is in hand. */
export function useSectionKnown(section: OptionsSection, isKnown: boolean): void {
  useLayoutEffect(() => {
    if (!isKnown || known.has(section)) return;
    known.add(section);
    for (const listener of onKnown) listener();
  }, [section, isKnown]);
}

/** Whether the page may show its sections: all of them know their state, or the patience ran out. */
export function useOptionsReady(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const check = () => OPTIONS_SECTIONS.every((section) => known.has(section)) && setReady(true);
    onKnown.add(check);
    check();
    const patience = setTimeout(() => setReady(true), PATIENCE_MS);
    return () => {
      onKnown.delete(check);
      clearTimeout(patience);
    };
  }, []);
  useLayoutEffect(() => {
    if (ready) document.documentElement.setAttribute(OPTIONS_READY_ATTR, 'true');
  }, [ready]);
  return ready;
}
