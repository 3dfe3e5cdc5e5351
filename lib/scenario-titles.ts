/**
 * The few words of each scenario that the helpdesk page itself needs (a mark's pill): ids and titles only.
 * The steps and notes (scenarios.ts, advice.ts) stay in the worker, which the mark asks when it opens, so the
 * content script that runs on every helpdesk page stays small. Ids are part of the page contract
 * (`data-reauth-scenario`): never rename one.
 */

export const SCENARIO_IDS = ['microsoft-basic-auth', 'password-expired', 'microsoft-oauth-expired'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** What the admin must press in the helpdesk for this scenario; detectors highlight that control. */
export const FIX_CONTROLS = ['reauthorize-link', 'sign-in-with-microsoft', 'edit-icon'] as const;
export type FixControl = (typeof FIX_CONTROLS)[number];

export const SCENARIO_TITLES: Readonly<Record<ScenarioId, string>> = {
  'microsoft-basic-auth': 'Microsoft 365 still on Basic authentication',
  'password-expired': 'Password expired or changed (Gmail or Other mailbox)',
  'microsoft-oauth-expired': 'Microsoft 365 OAuth sign-in expired',
};

export function isScenarioId(value: unknown): value is ScenarioId {
  return typeof value === 'string' && (SCENARIO_IDS as readonly string[]).includes(value);
}
