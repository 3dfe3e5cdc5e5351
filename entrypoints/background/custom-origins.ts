/**
 * Custom helpdesk origins: which runtime content-script registrations should exist, given the origins the
 * admin added and the host permissions the browser actually holds. Pure, so reconciliation is unit-tested.
 */
import { parseHelpdeskOrigin } from '../../lib/helpdesk-origins';

export const CUSTOM_ORIGINS_KEY = 'custom-origins';
export const SCRIPT_ID_PREFIX = 'reauth-custom-';
/** Built by the content-script entrypoint entrypoints/helpdesk.content/. */
export const CONTENT_SCRIPT_FILE = 'content-scripts/helpdesk-custom.js';

export interface WantedOrigin {
  origin: string;
  matchPattern: string;
}

export interface Registration {
  id: string;
  matches?: string[];
}

export interface RegistrationPlan {
  register: Array<{ id: string; matches: string[] }>;
  unregister: string[];
}

export function scriptIdFor(origin: string): string {
  return `${SCRIPT_ID_PREFIX}${origin}`;
}

/** Stored origins that still parse, deduplicated, in the order the admin added them. */
export function readStoredOrigins(value: unknown): WantedOrigin[] {
  if (!Array.isArray(value)) return [];
  const seen = new Map<string, WantedOrigin>();
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const parsed = parseHelpdeskOrigin(item);
    if (parsed.ok && !seen.has(parsed.origin))
      seen.set(parsed.origin, { origin: parsed.origin, matchPattern: parsed.matchPattern });
  }
  return [...seen.values()];
}

/**
 * `granted` are the wanted origins whose host permission the browser holds. Ours are recognised by id
 * prefix; other features' registrations are never touched.
 */
export function planRegistrations(
  granted: readonly WantedOrigin[],
  registered: readonly Registration[],
): RegistrationPlan {
  const ours = new Map(registered.filter((r) => r.id.startsWith(SCRIPT_ID_PREFIX)).map((r) => [r.id, r]));
  const plan: RegistrationPlan = { register: [], unregister: [] };
  const wantedIds = new Set<string>();
  for (const { origin, matchPattern } of granted) {
    const id = scriptIdFor(origin);
    wantedIds.add(id);
    const existing = ours.get(id);
    if (existing !== undefined && sameMatches(existing.matches, [matchPattern])) continue;
    if (existing !== undefined) plan.unregister.push(id);
    plan.register.push({ id, matches: [matchPattern] });
  }
  for (const id of ours.keys()) if (!wantedIds.has(id)) plan.unregister.push(id);
  return plan;
}

function sameMatches(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((pattern, index) => pattern === b[index]);
}
