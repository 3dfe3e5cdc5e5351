/** Which addresses a team companion may reach (target-policy.ts), without servers: ranges, mapped IPv6, allowlists. */
import { describe, expect, it } from 'vitest';
import { TargetNotAllowedError, createTargetPolicy, isLoopbackHost } from '../../companion/src/target-policy';

type Rule = { host: string; port: number; address: string; targetPort: number };
const team = (allowInternalHosts: string[] = [], resolve: Rule[] = []) =>
  createTargetPolicy({ enforced: true, allowInternalHosts, resolve });

describe('target policy', () => {
  it('refuses loopback, private, link-local, CGNAT and unspecified addresses, IPv4 and IPv6, mapped or not', () => {
    const policy = team();
    for (const address of ['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.5.5', '192.168.1.1', '169.254.169.254',
      '100.64.0.1',      '0.0.0.0', '::1', '::', 'fd00::2', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254']) {
      expect(() => policy.check('mail.example.org', address), address).toThrow(TargetNotAllowedError);
    }
  });

  it('lets public addresses through', () => {
    const policy = team();
    for (const address of ['40.99.10.2', '142.250.1.108', '2603:1026:c0b::2', '::ffff:40.99.10.2']) {
      expect(() => policy.check('mail.example.org', address), address).not.toThrow();
    }
  });

  it('lets allowlisted names, addresses and ranges through, and nothing next to them', () => {
    const policy = team(['mail.corp.example', '10.20.0.0/16', '192.168.1.7']);
    expect(() => policy.check('mail.corp.example', '10.99.0.1')).not.toThrow();
    expect(() => policy.check('MAIL.corp.example', '10.99.0.1')).not.toThrow();
    expect(() => policy.check('other.corp.example', '10.20.3.4')).not.toThrow();
    expect(() => policy.check('other.corp.example', '10.21.3.4')).toThrow(TargetNotAllowedError);
    expect(() => policy.check('x', '192.168.1.7')).not.toThrow();
    expect(() => policy.check('x', '192.168.1.8')).toThrow(TargetNotAllowedError);
  });

  it('leaves hosts with a --resolve rule and a single admin\'s companion alone', async () => {
    await expect(team([], [{ host: 'outlook.office365.com', port: 993, address: '127.0.0.1', targetPort: 1993 }])
      .checkEndpoint('outlook.office365.com', 993)).resolves.toBeUndefined();
    await expect(team().checkEndpoint('127.0.0.1', 993)).rejects.toThrow(TargetNotAllowedError);
    await expect(team().checkEndpoint('localhost', 993)).rejects.toThrow(TargetNotAllowedError);
    const local = createTargetPolicy({ enforced: false, allowInternalHosts: [], resolve: [] });
    await expect(local.checkEndpoint('127.0.0.1', 993)).resolves.toBeUndefined();
    expect(() => local.check('x', '10.0.0.1')).not.toThrow();
  });

  it('knows a loopback listen address', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.0.2.2', 'tools.example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
