import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveMode, effectiveRelayUrl } from './installConfig';
import { ManagedConfigError, loadManagedConfig, managedConfigFlag, systemManagedConfigPath } from './managedConfig';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kd-managed-')), 'managed-config.json');
  writeFileSync(path, content);
  return path;
}

describe('managed config', () => {
  it('locks exactly the fields the office sets', () => {
    const path = file(JSON.stringify({ mode: 'live', relayUrl: 'https://relay.example.com', updateChannel: 'beta' }));
    const loaded = loadManagedConfig({ systemPath: path });
    expect(loaded.locked.sort()).toEqual(['mode', 'relayUrl', 'updateChannel']);
    expect(loaded.source).toBe(path);
    // A locked field beats what setup chose on this counter.
    expect(effectiveMode({ mode: 'test', setupDone: true, relayUrl: 'http://other', reader: 'simulated', readerId: null }, loaded)).toBe('live');
    expect(effectiveRelayUrl({ mode: 'test', setupDone: true, relayUrl: 'http://other', reader: 'simulated', readerId: null }, loaded)).toBe('https://relay.example.com');
  });

  it('no file is an unmanaged install with nothing locked', () => {
    const loaded = loadManagedConfig({ systemPath: join(tmpdir(), 'kd-no-such-dir', 'x.json') });
    expect(loaded).toEqual({ config: {}, source: null, locked: [] });
    expect(effectiveMode(null, loaded)).toBe('demo');
  });

  it('refuses an invalid file with the field and a sentence, never half-applies it', () => {
    expect(() => loadManagedConfig({ systemPath: file(JSON.stringify({ mode: 'production' })) })).toThrow(ManagedConfigError);
    expect(() => loadManagedConfig({ systemPath: file(JSON.stringify({ mode: 'production' })) })).toThrow(/mode/);
    expect(() => loadManagedConfig({ systemPath: file(JSON.stringify({ relayUrl: 'ftp://x' })) })).toThrow(/relayUrl must be an http\(s\) address/);
    expect(() => loadManagedConfig({ systemPath: file(JSON.stringify({ updateUrl: 'http://insecure.example.com' })) })).toThrow(/https/);
    expect(() => loadManagedConfig({ systemPath: file(JSON.stringify({ stripeKey: 'sk_live_x' })) })).toThrow(/stripeKey/);
    expect(() => loadManagedConfig({ systemPath: file('{ not json') })).toThrow(/not valid JSON/);
  });

  it('the command-line flag wins over the system file, and must name a file that exists', () => {
    const system = file(JSON.stringify({ mode: 'live' }));
    const flagged = file(JSON.stringify({ mode: 'test' }));
    expect(loadManagedConfig({ systemPath: system, argv: ['keydesk', `--managed-config=${flagged}`] }).config.mode).toBe('test');
    expect(loadManagedConfig({ systemPath: system, argv: ['keydesk', '--managed-config', flagged] }).config.mode).toBe('test');
    expect(() => loadManagedConfig({ systemPath: system, argv: ['--managed-config=/nope/none.json'] })).toThrow(/does not exist/);
    expect(managedConfigFlag(['a', 'b'])).toBeNull();
  });

  it('knows each platform’s system config folder', () => {
    expect(systemManagedConfigPath('linux')).toBe('/etc/keydesk/managed-config.json');
    expect(systemManagedConfigPath('win32', { ProgramData: 'D:\\PD' })).toContain('D:\\PD');
    expect(systemManagedConfigPath('darwin')).toMatch(/^\/Library\//);
  });
});
