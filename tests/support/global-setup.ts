import { existsSync } from 'node:fs';
import { EXTENSION_DIR, CHROMIUM } from './extension';
import { ensureTestCerts } from './certs';

export default function globalSetup(): void {
  if (!existsSync(`${EXTENSION_DIR}/manifest.json`)) {
    throw new Error(`The extension is not built (${EXTENSION_DIR}): run "npm run build" first.`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  }
  ensureTestCerts();
}
