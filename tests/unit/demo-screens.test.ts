/**
 * The sandbox picks up other helpdesks' replica screens from tests/fixtures/<helpdesk>/ as they are added:
 * each agent screen on its real path, under a host the built extension matches when it has a detector for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { otherHelpdeskScreens } from '../../demo/screens';

let dir: string;

function page(path: string): void {
  mkdirSync(join(dir, path), { recursive: true });
  writeFileSync(join(dir, path, 'index.html'), '<!doctype html><title>x</title>');
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('otherHelpdeskScreens', () => {
  it('serves every agent screen of every other helpdesk on its real path, skipping Freshdesk and help articles', () => {
    dir = mkdtempSync(join(tmpdir(), 'reauth-screens-'));
    page('freshdesk/a/admin/email');
    page('supportcenter/app/admin/mail-settings');
    page('supportcenter/support/solutions/articles/1');
    page('salesorder');
    writeFileSync(join(dir, 'salesorder', 'styles.css'), '');
    const screens = otherHelpdeskScreens(dir, ['https://*.freshdesk.com/*', 'https://*.supportcenterplus.com/*']);
    expect(screens.map(({ helpdesk, host, path, matched }) => ({ helpdesk, host, path, matched }))).toEqual([
      { helpdesk: 'salesorder', host: 'salesorder.acme-helpdesk.test', path: '/', matched: false },
      {
        helpdesk: 'supportcenter',
        host: 'acme.supportcenterplus.com',
        path: '/app/admin/mail-settings',
        matched: true,
      },
    ]);
    expect(screens[1]!.file).toBe(join(dir, 'supportcenter/app/admin/mail-settings/index.html'));
  });

  it('finds nothing when only Freshdesk replicas exist', () => {
    dir = mkdtempSync(join(tmpdir(), 'reauth-screens-'));
    page('freshdesk/a/admin/email');
    expect(otherHelpdeskScreens(dir, ['https://*.freshdesk.com/*'])).toEqual([]);
  });
});
