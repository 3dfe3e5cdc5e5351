/**
 * The companion as `npm start` runs it: bundled by scripts/build-companion.mjs and started with plain Node
 * (no tsx). Proves the bundle starts on its embedded store, reads its own version, answers the API with the
 * pairing secret it printed, and stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthResponseSchema, mailboxListResponseSchema } from '../../lib/companion-api';
// @ts-expect-error: a plain .mjs build script, no types of its own
import { buildNodeBundle, COMPANION_NODE_FLAGS } from '../../scripts/build-companion.mjs';
import { api, startChildCompanion, tempDataDir } from './companion-support';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the bundled companion (npm start)', () => {
  it('starts with plain Node on a fresh store, answers with its version and pairing secret, stops on SIGTERM', async () => {
    const bundle = (await buildNodeBundle()) as string;
    const companion = await startChildCompanion(tempDataDir(), [], {}, [...(COMPANION_NODE_FLAGS as string[]), bundle]);
    try {
      expect(companion.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const call = api(companion.url, companion.secret);
      const health = healthResponseSchema.parse((await call('GET', '/v1/health')).json);
      expect(health.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
      expect(mailboxListResponseSchema.parse((await call('GET', '/v1/mailboxes')).json).mailboxes).toEqual([]);
      expect((await api(companion.url, 'x'.repeat(43))('GET', '/v1/mailboxes')).status).toBe(401);
    } finally {
      await companion.kill('SIGTERM');
    }
    expect(companion.process.exitCode).toBe(0);
  }, 60_000);
});
