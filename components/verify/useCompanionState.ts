/**
 * Companion state pushed by the worker over one runtime port per page, shared by every panel of the page:
 * on connect, on every verification step, handoff and poll (and reconnecting wakes the worker to poll).
 */
import { useEffect, useState } from 'preact/hooks';
import { livePortState } from '../live-port-state';
import type { CompanionPopupState } from '../../lib/companion-ui';
import { COMPANION_STATE_PORT } from '../../lib/page-ports';

export const useCompanionState = livePortState<CompanionPopupState>(COMPANION_STATE_PORT, 'companion-state');

/** The current time, ticking every `everyMs` while mounted: countdowns count down without a new push. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
