/**
 * The extension's icons and the store's small promo tile, rasterized from one SVG (public/icon.svg) by Debian
 * Chromium at exact pixel sizes: public/icon-{16,32,48,128}.png and docs/store/promo-small-440x280.png.
 * Run after changing the SVG: `node --import tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../tests/support/extension';

export const ICON_SIZES = [16, 32, 48, 128] as const;

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const svg = readFileSync(root('public/icon.svg'), 'utf8');
const svgUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const PROMO = `<!doctype html><html><body style="margin:0">
<div id="tile" style="width:440px;height:280px;box-sizing:border-box;padding:36px;display:flex;flex-direction:column;
  justify-content:center;gap:18px;background:linear-gradient(135deg,#0a58ca,#063a86);color:#fff;
  font-family:system-ui,'DejaVu Sans',sans-serif">
  <div style="display:flex;align-items:center;gap:18px">
    <img src="${svgUrl}" width="88" height="88" alt="">
    <div style="font-size:34px;font-weight:700;line-height:1.1">Reauth Assist</div>
  </div>
  <div style="font-size:19px;line-height:1.35">Finds the helpdesk mailboxes that need OAuth reauthorization,
    says why, and walks you through the fix.</div>
</div></body></html>`;

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const size of ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<body style="margin:0"><img src="${svgUrl}" width="${size}" height="${size}"></body>`);
      await page.locator('img').screenshot({ path: root(`public/icon-${size}.png`), omitBackground: true });
    }
    await page.setViewportSize({ width: 440, height: 280 });
    await page.setContent(PROMO);
    await page.locator('#tile').screenshot({ path: root('docs/store/promo-small-440x280.png') });
  } finally {
    await browser.close();
  }
}

await main();
