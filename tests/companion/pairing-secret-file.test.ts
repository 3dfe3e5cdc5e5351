/**
 * --pairing-secret-file / REAUTH_ASSIST_PAIRING_SECRET_FILE (a compose or systemd secret): the companion accepts
 * the operator's secret, prints none, follows a changed file on restart, and refuses a file others may read, a
 * weak secret, and --reset-pairing beside it. Real companion processes, on the store the suite runs on.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, type ChildCompanion, startChildCompanion, tempDataDir } from './companion-support';

const running: ChildCompanion[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.kill()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function secretFile(secret: string, mode = 0o600): string {
  const dir = tempDataDir();
  dirs.push(dir);
  const path = join(dir, 'pairing-secret');
  writeFileSync(path, `${secret}\n`);
  chmodSync(path, mode);
  return path;
}

const FIRST = 'a1'.repeat(32);
const SECOND = 'b2'.repeat(32);

describe('the pairing secret from a file', () => {
  it('is the secret every request needs, is never printed, and a changed file takes over on restart', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const first = await startChildCompanion(dataDir, ['--pairing-secret-file', secretFile(FIRST)]);
    running.push(first);
    expect(first.secret).toBeUndefined();
    expect(first.output()).not.toMatch(/new pairing secret/i);
    expect(first.output()).not.toContain(FIRST);
    expect((await api(first.url, FIRST)('GET', '/v1/mailboxes')).status).toBe(200);
    expect((await api(first.url, SECOND)('GET', '/v1/mailboxes')).status).toBe(401);
    await first.kill();

    // Same data directory (and store), a new secret in the file named by the environment variable.
    const again = await startChildCompanion(dataDir, [], { REAUTH_ASSIST_PAIRING_SECRET_FILE: secretFile(SECOND) });
    running.push(again);
    expect(again.secret).toBeUndefined();
    expect((await api(again.url, SECOND)('GET', '/v1/mailboxes')).status).toBe(200);
    expect((await api(again.url, FIRST)('GET', '/v1/mailboxes')).status).toBe(401);
  }, 60_000);

  it('replaces a secret the companion made itself before the file was configured', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const generated = await startChildCompanion(dataDir);
    running.push(generated);
    expect(generated.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await generated.kill();
    const fromFile = await startChildCompanion(dataDir, ['--pairing-secret-file', secretFile(FIRST)]);
    running.push(fromFile);
    expect((await api(fromFile.url, FIRST)('GET', '/v1/mailboxes')).status).toBe(200);
    expect((await api(fromFile.url, generated.secret)('GET', '/v1/mailboxes')).status).toBe(401);
  }, 60_000);

  it('refuses to start on a file others may read, a short secret, or beside --reset-pairing, saying why', async () => {
    const start = (args: string[]) => startChildCompanion(tempDataDir(), args);
    await expect(start(['--pairing-secret-file', secretFile(FIRST, 0o644)])).rejects.toThrow(/chmod 600/);
    await expect(start(['--pairing-secret-file', secretFile('too-short')])).rejects.toThrow(
      /at least 32 characters.*openssl rand -hex 32/s,
    );
    await expect(start(['--pairing-secret-file', join(tempDataDir(), 'missing')])).rejects.toThrow(
      /Cannot read the pairing secret file/,
    );
    await expect(start(['--pairing-secret-file', secretFile(FIRST), '--reset-pairing'])).rejects.toThrow(
      /--reset-pairing makes a new secret, but --pairing-secret-file/,
    );
  }, 60_000);
});
