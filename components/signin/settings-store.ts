/**
 * Sign-in settings in storage.local (client ids and endpoints are not secrets), validated with the same
 * schema the worker reads them with, so a value that saves is a value that signs in.
 */
import browser from 'webextension-polyfill';
import type { z } from 'zod';
import { parseSigninSettings, signinSettingsSchema, SIGNIN_SETTINGS_KEY, type SigninSettings } from '../../lib/signin';

export async function readSigninSettings(): Promise<SigninSettings> {
  return parseSigninSettings((await browser.storage.local.get(SIGNIN_SETTINGS_KEY))[SIGNIN_SETTINGS_KEY]);
}

export type SaveResult = { ok: true; settings: SigninSettings } | { ok: false; errors: Record<string, string> };

/** Applies a change to the stored settings; on a schema error nothing is written and each field says why. */
export async function updateSigninSettings(change: (current: SigninSettings) => unknown): Promise<SaveResult> {
  const parsed = signinSettingsSchema.safeParse(change(await readSigninSettings()));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  await browser.storage.local.set({ [SIGNIN_SETTINGS_KEY]: parsed.data });
  return { ok: true, settings: parsed.data };
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[issue.path.length - 1] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

export function redirectUrl(): string {
  return browser.identity.getRedirectURL();
}
