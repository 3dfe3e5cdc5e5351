/**
 * The manifest's icons (Chrome and Firefox; the toolbar's and the stores') exist in public/ as PNGs of exactly
 * the declared size, read from each file's IHDR header.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

const PNG_SIGNATURE = '89504e470d0a1a0a';

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(fileURLToPath(new URL(`../../public/${path}`, import.meta.url)));
  expect(bytes.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

type Manifest = { icons?: Record<string, string>; action?: { default_icon?: Record<string, string> } };

describe.each(['chrome', 'firefox'])('%s manifest icons', (browser) => {
  const manifest = (config.manifest as (env: { browser: string }) => Manifest)({ browser });

  it('declares 16, 32, 48 and 128 px for the extension and its toolbar button', () => {
    expect(Object.keys(manifest.icons ?? {}).sort()).toEqual(['128', '16', '32', '48']);
    expect(manifest.action?.default_icon).toEqual(manifest.icons);
  });

  it('each declared icon is a PNG of that size', () => {
    for (const [size, path] of Object.entries(manifest.icons ?? {})) {
      expect(pngSize(path), path).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});

it('the small promo tile is 440x280', () => {
  const bytes = readFileSync(fileURLToPath(new URL('../../docs/store/promo-small-440x280.png', import.meta.url)));
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([440, 280]);
});
