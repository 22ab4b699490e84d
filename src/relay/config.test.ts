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

  it('reads the ingest batching knobs (unset: the store decides), and refuses a fill window over 50 ms', () => {
    const unset = loadRelayConfig({ RELAY_WEBHOOK_SECRETS: 'whsec_a' });
    expect(unset).toMatchObject({ ingestInFlight: null, ingestWaitMs: null, ingestConcurrentAt: null, pgNotifyGatherMs: null, pgAwaitNotify: false });
    const set = loadRelayConfig({
      RELAY_WEBHOOK_SECRETS: 'whsec_a',
      RELAY_INGEST_IN_FLIGHT: '3',
      RELAY_INGEST_WAIT_MS: '0',
      RELAY_INGEST_CONCURRENT_AT: '16',
      RELAY_PG_NOTIFY_GATHER_MS: '5',
      RELAY_PG_AWAIT_NOTIFY: '1',
    });
    expect(set).toMatchObject({ ingestInFlight: 3, ingestWaitMs: 0, ingestConcurrentAt: 16, pgNotifyGatherMs: 5, pgAwaitNotify: true });
    try {
      loadRelayConfig({ RELAY_WEBHOOK_SECRETS: 'whsec_a', RELAY_INGEST_WAIT_MS: '500', RELAY_INGEST_IN_FLIGHT: '0' });
      expect.unreachable();
    } catch (err) {
      expect((err as RelayConfigError).problems).toEqual([
        'RELAY_INGEST_IN_FLIGHT must be an integer from 1 to 64 (got "0")',
        'RELAY_INGEST_WAIT_MS must be an integer from 0 to 50 (got "500")',
      ]);
    }
  });

  it('parses byte sizes', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('1m')).toBe(1048576);
    expect(parseByteSize('512KiB')).toBe(524288);
    expect(parseByteSize('lots')).toBeNull();
  });
});
