/**
 * declarativeNetRequest session rules, as both browsers expose them. Session rules live until the browser
 * closes (not across restarts), which is as long as any reauthorization could need them.
 */
import type { PickerRule } from '../../../../lib/helpdesk-picker';

interface SessionRulesApi {
  updateSessionRules(options: { addRules?: PickerRule[]; removeRuleIds?: number[] }): Promise<void>;
  getSessionRules(): Promise<Array<{ id: number }>>;
}

function api(): SessionRulesApi | undefined {
  type WithDnr = { declarativeNetRequest?: SessionRulesApi };
  const scope = globalThis as { browser?: WithDnr; chrome?: WithDnr };
  const dnr = scope.browser?.declarativeNetRequest ?? scope.chrome?.declarativeNetRequest;
  return typeof dnr?.updateSessionRules === 'function' ? dnr : undefined;
}

export function sessionRulesSupported(): boolean {
  return api() !== undefined;
}

export async function replaceSessionRules(remove: number[], add: PickerRule[]): Promise<void> {
  const dnr = api();
  if (!dnr) throw new Error('declarativeNetRequest session rules are not available');
  await dnr.updateSessionRules({ removeRuleIds: remove, addRules: add });
}

export async function sessionRuleIds(): Promise<number[]> {
  const dnr = api();
  return dnr ? (await dnr.getSessionRules()).map((r) => r.id) : [];
}
