import { describe, expect, it } from 'vitest';
import { loadRelayConfig, parseByteSize, RelayConfigError } from './config';

describe('loadRelayConfig', () => {
  it('defaults to loopback, SQLite in ./.data/relay, 1 MiB bodies, 15 s heartbeats, 35 days', () => {
    const c = loadRelayConfig({ RELAY_WEBHOOK_SECRETS: ' whsec_a , whsec_b ,' });
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      databaseUrl: null,
      webhookSecrets: ['whsec_a', 'whsec_b'],
      bodyLimit: 1024 * 1024,
      heartbeatMs: 15_000,
      retentionDays: 35,
      stripe: null,
    });
    expect(c.dataDir).toMatch(/\.data\/relay$/);
  });

  it('reads PostgreSQL, body limit, and the backfill target', () => {
    const c = loadRelayConfig({
      RELAY_WEBHOOK_SECRETS: 'whsec_a',
      RELAY_DATABASE_URL: 'postgres://relay:pw@db:5432/relay',
      RELAY_BODY_LIMIT: '256k',
      RELAY_STRIPE_KEY: 'rk_test_x',
      RELAY_STRIPE_HOST: '127.0.0.1',
      RELAY_STRIPE_PORT: '12111',
      RELAY_STRIPE_PROTOCOL: 'http',
    });
    expect(c.databaseUrl).toBe('postgres://relay:pw@db:5432/relay');
    expect(c.bodyLimit).toBe(256 * 1024);
    expect(c.stripe).toEqual({ key: 'rk_test_x', host: '127.0.0.1', port: 12111, protocol: 'http' });
  });

  it('reports every problem at once, and refuses a retention under 35 days', () => {
    try {
      loadRelayConfig({ RELAY_PORT: 'eighty', RELAY_RETENTION_DAYS: '7', RELAY_DATABASE_URL: 'mysql://x', RELAY_BODY_LIMIT: '9g' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RelayConfigError);
      expect((err as RelayConfigError).problems).toHaveLength(5);
    }
    expect(() => loadRelayConfig({}, { requireSecrets: false })).not.toThrow();
  });

  it('parses byte sizes', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('1m')).toBe(1048576);
    expect(parseByteSize('512KiB')).toBe(524288);
    expect(parseByteSize('lots')).toBeNull();
  });
});
