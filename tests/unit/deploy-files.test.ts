/**
 * The deployment files (deploy/: systemd unit, environment file, Dockerfile, compose file, nginx) against the
 * companion they run: every flag and every REAUTH_ASSIST_* variable they set goes through the companion's own
 * parseConfig, so a renamed flag or variable breaks this test, not a team's start. systemd-analyze checks the unit.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type CompanionConfig, parseConfig } from '../../companion/src/config';
// @ts-expect-error: a plain .mjs build script, no types of its own
import { COMPANION_BUNDLE, COMPANION_NODE_FLAGS } from '../../scripts/build-companion.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const UNIT = 'deploy/systemd/reauth-assist-companion@.service';
const BUNDLE = relative(ROOT, COMPANION_BUNDLE as string);

/** Samples for what the files leave to the operator: systemd specifiers and compose interpolations. */
const SPECIFIERS: Record<string, string> = { '%i': '8787', '%S': '/var/lib', '%d': '/run/credentials/x' };
const COMPOSE_VARIABLES: Record<string, string> = {
  REAUTH_PUBLIC_NAME: 'reauth.example.com',
  REAUTH_ALLOWED_ORIGINS: 'moz-extension://0b1c2d3e-4f50-4617-8283-949596979899',
};

function config(args: string[], env: Record<string, string>): CompanionConfig {
  const parsed = parseConfig(args, env);
  if (parsed === 'help') throw new Error('--help in a deployment file');
  return parsed;
}

// ----------------------------------------------------------------------------------------- systemd unit

function unitDirectives(text: string): Array<[string, string]> {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('['))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]);
}

const withSpecifiers = (s: string) => s.replace(/%[iSd]/g, (m) => SPECIFIERS[m]!);

function unitEnvironment(directives: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(
    directives
      .filter(([k]) => k === 'Environment')
      .map(([, v]) => {
        const [name, ...rest] = v.split('=');
        return [name!, withSpecifiers(rest.join('='))];
      }),
  );
}

/** KEY=VALUE lines of the example environment file; `commented` also takes the optional ones shown as #KEY=VALUE. */
function envFile(text: string, commented: boolean): Record<string, string> {
  const line = commented ? /^#?([A-Z][A-Z0-9_]*)=(.*)$/ : /^([A-Z][A-Z0-9_]*)=(.*)$/;
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => line.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

/** The companion's arguments in a command line: what follows the bundle. Node flags: what precedes it. */
function splitCommand(words: string[]): { nodeFlags: string[]; script: string; args: string[] } {
  const at = words.findIndex((w) => w.endsWith('companion/dist/main.mjs'));
  expect(at, `no companion bundle in ${words.join(' ')}`).toBeGreaterThan(0);
  return { nodeFlags: words.slice(1, at), script: words[at]!, args: words.slice(at + 1) };
}

/**
 * Every REAUTH_ASSIST_* variable must change what the companion reads (or be one it cannot start without), else
 * its name is not one the companion knows.
 */
function expectEachVariableRead(args: string[], env: Record<string, string>): void {
  const full = config(args, env);
  for (const name of Object.keys(env).filter((n) => n.startsWith('REAUTH_ASSIST_'))) {
    const without = Object.fromEntries(Object.entries(env).filter(([n]) => n !== name));
    let baseline: CompanionConfig;
    try {
      baseline = config(args, without);
    } catch {
      continue; // required: the companion refuses to start without it
    }
    expect(full, `${name}=${env[name]} changes nothing the companion reads`).not.toEqual(baseline);
  }
}

describe('systemd unit', () => {
  const directives = unitDirectives(read(UNIT));
  const get = (key: string) => directives.filter(([k]) => k === key).map(([, v]) => v);
  const exampleEnv = envFile(read('deploy/systemd/companion.env.example'), false);

  it('runs the companion bundle with the flags npm start uses and arguments the companion accepts', () => {
    const words = withSpecifiers(get('ExecStart')[0]!).split(/\s+/);
    const { nodeFlags, script, args } = splitCommand(words);
    expect(words[0]).toBe('/usr/bin/node');
    expect(nodeFlags).toEqual(COMPANION_NODE_FLAGS);
    expect(script.endsWith(BUNDLE)).toBe(true);
    const c = config(args, { ...unitEnvironment(directives), ...exampleEnv });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, dataDir: '/var/lib/reauth-assist/8787' });
    expect(c.storeUrl).toMatch(/^postgres:\/\//);
    expect(c.keyFile).toBe('/run/credentials/x/token-key');
    expect(c.pairingSecretFile).toBe('/run/credentials/x/pairing-secret');
    expect(c.publicNames).toEqual(['reauth.example.com']);
    expect(c.trustedProxies).toEqual(['127.0.0.1']);
  });

  it('sets only variables the companion reads (the example file too, its optional lines included)', () => {
    const words = withSpecifiers(get('ExecStart')[0]!).split(/\s+/);
    const { args } = splitCommand(words);
    const env = { ...unitEnvironment(directives), ...envFile(read('deploy/systemd/companion.env.example'), true) };
    expect(Object.keys(env).filter((n) => n.startsWith('REAUTH_ASSIST_')).length).toBeGreaterThanOrEqual(6);
    expectEachVariableRead(args, env);
  });

  it('is hardened and restarts on failure', () => {
    expect(get('DynamicUser')).toEqual(['yes']);
    expect(get('NoNewPrivileges')).toEqual(['yes']);
    expect(get('ProtectSystem')).toEqual(['strict']);
    expect(get('Restart')).toEqual(['on-failure']);
    expect(get('StateDirectory')[0]).toMatch(/^reauth-assist\/%i$/);
    expect(get('EnvironmentFile')).toEqual(['/etc/reauth-assist/companion.env']);
    expect(get('CapabilityBoundingSet')).toEqual(['']);
    // The key, the database password and the pairing secret come in as credentials, not as environment values.
    expect(get('LoadCredential').map((v) => v.split(':')[0])).toEqual(['token-key', 'pgpass', 'pairing-secret']);
    // Longer than the companion's own 30 s stop limit (main.ts), so systemd never kills a clean stop.
    expect(Number.parseInt(get('TimeoutStopSec')[0]!, 10)).toBeGreaterThan(30);
  });

  it('passes systemd-analyze verify without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reauth-unit-'));
    try {
      copyFileSync(join(ROOT, UNIT), join(dir, 'reauth-assist-companion@.service'));
      const out = execFileSync('systemd-analyze', ['verify', join(dir, 'reauth-assist-companion@8787.service')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toBe('');
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`systemd-analyze verify: ${e.stderr || e.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('systemd-analyze verify reports a misspelt directive (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reauth-unit-'));
    try {
      const bad = read(UNIT).replace('Restart=on-failure', 'Restartt=on-failure');
      execFileSync('sh', ['-c', `cat > "${dir}/bad@.service"`], { input: bad });
      const res = execFileSync('sh', ['-c', `systemd-analyze verify "${dir}/bad@8787.service" 2>&1 || true`], {
        encoding: 'utf8',
      });
      expect(res).toMatch(/Unknown key 'Restartt'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ----------------------------------------------------------------------------------------- Dockerfile

interface DockerInstruction {
  op: string;
  value: string;
}

function dockerfile(text: string): DockerInstruction[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ op: l.split(/\s+/)[0]!.toUpperCase(), value: l.slice(l.indexOf(' ') + 1).trim() }));
}

describe('Dockerfile', () => {
  const steps = dockerfile(read('deploy/Dockerfile'));
  const all = (op: string) => steps.filter((s) => s.op === op).map((s) => s.value);
  const lastStage = steps.slice(steps.map((s) => s.op).lastIndexOf('FROM'));

  it('builds every stage on node:20-bookworm-slim and the bundle with npm run build:companion', () => {
    expect(all('FROM').map((f) => f.split(/\s+/)[0])).toEqual(Array(3).fill('node:20-bookworm-slim'));
    expect(all('RUN').some((r) => r.includes('npm run build:companion'))).toBe(true);
    expect(JSON.parse(read('package.json')).scripts['build:companion']).toBeDefined();
    expect(all('COPY').some((c) => c.includes('/src/companion/dist'))).toBe(true);
    // better-sqlite3 is native: built in the image, not copied from the build machine.
    expect(all('RUN').some((r) => r.includes('npm rebuild better-sqlite3'))).toBe(true);
  });

  it('runs as a user that is not root', () => {
    const users = lastStage.filter((s) => s.op === 'USER').map((s) => s.value);
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('starts the bundle with npm start flags, a command the companion accepts with the compose variables', () => {
    const entry = JSON.parse(all('ENTRYPOINT')[0]!) as string[];
    const cmd = JSON.parse(all('CMD')[0]!) as string[];
    const { nodeFlags, script, args } = splitCommand([...entry, ...cmd]);
    expect(nodeFlags).toEqual(COMPANION_NODE_FLAGS);
    expect(script).toBe(BUNDLE);
    // Beyond loopback the companion refuses to start without a public name: the image alone must not be enough.
    expect(() => config(args, {})).toThrow(/--public-name/);
    const env = Object.fromEntries(
      all('ENV')
        .join(' ')
        .split(/\s+/)
        .map((kv) => kv.split('=') as [string, string]),
    );
    expectEachVariableRead(args, { ...env, REAUTH_ASSIST_PUBLIC_NAMES: 'reauth.example.com' });
  });

  it('checks its health on the route that needs no secret', () => {
    expect(all('HEALTHCHECK')[0]).toContain("fetch('http://127.0.0.1:8787/v1/health')");
    expect(read('companion/src/http/server.ts')).toContain("HEALTH_PATH = '/v1/health'");
  });
});

// ----------------------------------------------------------------------------------------- compose + nginx

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  depends_on?: Record<string, { condition: string }>;
}

/** ${NAME}, ${NAME:-default}, ${NAME:?error}: the sample value (interpolation is compose's, not the companion's). */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(?::[-?][^}]*)?\}/g, (_, name: string) => {
    const sample = COMPOSE_VARIABLES[name];
    if (sample === undefined) throw new Error(`compose variable ${name} has no sample in this test`);
    return sample;
  });
}

describe('compose file', () => {
  const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
    secrets: Record<string, { file: string }>;
  };
  const services = compose.services;
  const companions = Object.entries(services).filter(([, s]) => s.image?.startsWith('reauth-assist-companion'));
  const proxy = services.proxy!;
  const nginx = read('deploy/nginx/reauth-assist.conf');

  it('runs two or three companion instances with arguments and variables the companion accepts', () => {
    expect(companions.length).toBeGreaterThanOrEqual(2);
    expect(companions.length).toBeLessThanOrEqual(3);
    for (const [name, s] of companions) {
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
      const c = config(s.command!, env);
      expect(c.host, name).toBe('0.0.0.0');
      expect(c.storeUrl, name).toMatch(/^postgres:\/\/[^@/]+@postgres:5432\//);
      expect(c.publicNames, name).toEqual(['reauth.example.com']);
      expectEachVariableRead(s.command!, env);
    }
  });

  it('gives every instance the same key, database password and pairing secret as secrets, declaring each', () => {
    for (const [name, s] of companions) {
      expect(s.secrets, name).toEqual(expect.arrayContaining(['token_key', 'pgpass', 'pairing_secret']));
      expect(s.environment?.REAUTH_ASSIST_KEY_FILE, name).toBe('/run/secrets/token_key');
      expect(s.environment?.REAUTH_ASSIST_PAIRING_SECRET_FILE, name).toBe('/run/secrets/pairing_secret');
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
      expect(config(s.command!, env).pairingSecretFile, name).toBe('/run/secrets/pairing_secret');
      expect(s.environment?.PGPASSFILE, name).toBe('/run/secrets/pgpass');
      // No secret in a variable's value: a password in the store URL would show in `docker inspect`.
      expect(s.environment?.REAUTH_ASSIST_STORE, name).not.toMatch(/:[^@/]*@/);
    }
    for (const s of Object.values(services)) {
      for (const secret of s.secrets ?? []) expect(compose.secrets[secret], secret).toBeDefined();
    }
  });

  it('has the pg driver read the password file the compose file and the unit point PGPASSFILE at', () => {
    const require = createRequire(join(ROOT, 'package.json'));
    const helper = readFileSync(require.resolve('pgpass/lib/helper.js'), 'utf8');
    expect(helper).toContain('PGPASSFILE');
  });

  it('puts a health check on every service, and starts the others after PostgreSQL is healthy', () => {
    for (const [name, s] of Object.entries(services)) expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
    expect(services['companion-1']!.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('trusts exactly the proxy address for X-Forwarded-For, and the proxy replaces that header', () => {
    const networks = proxy.networks as Record<string, { ipv4_address?: string }>;
    const address = Object.values(networks)[0]!.ipv4_address;
    for (const [, s] of companions) expect(s.environment?.REAUTH_ASSIST_TRUSTED_PROXIES).toBe(address);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
  });

  it('has nginx terminate TLS in front of every instance, keep Host and not buffer the streamed steps', () => {
    expect(proxy.ports).toContain('443:443');
    const upstream = [...nginx.matchAll(/^\s*server ([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    const expected = companions.map(
      ([name, s]) => `${name}:${config(s.command!, { REAUTH_ASSIST_PUBLIC_NAMES: 'x' }).port}`,
    );
    expect(upstream.sort()).toEqual(expected.sort());
    expect(nginx).toMatch(/listen 443 ssl;/);
    expect(nginx).toMatch(/proxy_set_header Host \$host;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
    const mounted = proxy.volumes!.map((v) => v.split(':')[0]!).filter((p) => p.endsWith('.conf'));
    for (const p of mounted) expect(existsSync(join(ROOT, 'deploy', p)), p).toBe(true);
  });
});
