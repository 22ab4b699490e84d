import { resolve } from 'node:path';
import type { RelayLogLevel } from './log';

export type StripeTarget = { key: string; host?: string; port?: number; protocol?: 'http' | 'https' };

export type RelayConfig = {
  host: string;
  port: number;
  /** SQLite file folder (used when no database URL is set). */
  dataDir: string;
  databaseUrl: string | null;
  webhookSecrets: string[];
  bodyLimit: number;
  heartbeatMs: number;
  maxUnacked: number;
  retentionDays: number;
  backfillEverySec: number;
  stripe: StripeTarget | null;
  logLevel: RelayLogLevel;
  /** Host names (besides loopback) the admin routes answer under. */
  adminHosts: string[];
  /** Open connections per client address (0: no cap, behind a proxy). */
  maxConnectionsPerAddress: number;
  /** Webhook bodies being received at once per client address. */
  maxBodiesPerAddress: number;
  /** Ingest batches committing at once (null: the store's default). */
  ingestInFlight: number | null;
  /** Most ms a free ingest slot waits for webhooks still being read (null: the store's default). */
  ingestWaitMs: number | null;
  /** Events waiting before a second ingest batch starts beside a committing one (null: the store's default). */
  ingestConcurrentAt: number | null;
  /** PostgreSQL: most ms a wake-up NOTIFY waits to carry more batches (null: the store's default). */
  pgNotifyGatherMs: number | null;
  /** PostgreSQL: answer webhooks only after their NOTIFY was sent (the old behaviour, for comparison). */
  pgAwaitNotify: boolean;
};

export class RelayConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Relay configuration: ${problems.join('; ')}`);
    this.name = 'RelayConfigError';
  }
}

/** Stripe requires at least this; the issue asks for 35 days so a till away for a month still catches up. */
export const MIN_RETENTION_DAYS = 35;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** "1048576", "512k", "1m", "2mb" → bytes. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+)\s*(k|kb|kib|m|mb|mib)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? '').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(m[1]) * mult;
}

/**
 * Reads RELAY_* variables. `requireSecrets` is false for admin commands, which only need the
 * store. Every problem is reported at once so an operator fixes the file in one go.
 */
export function loadRelayConfig(env: NodeJS.ProcessEnv, opts: { requireSecrets: boolean } = { requireSecrets: true }): RelayConfig {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const webhookSecrets = (env.RELAY_WEBHOOK_SECRETS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (opts.requireSecrets && webhookSecrets.length === 0) problems.push('RELAY_WEBHOOK_SECRETS is required (comma-separated whsec_… endpoint secrets)');

  let bodyLimit = DEFAULT_BODY_LIMIT;
  if (env.RELAY_BODY_LIMIT) {
    const b = parseByteSize(env.RELAY_BODY_LIMIT);
    if (b === null || b < 1024 || b > 64 * 1024 * 1024) problems.push(`RELAY_BODY_LIMIT must be a size from 1k to 64m (got "${env.RELAY_BODY_LIMIT}")`);
    else bodyLimit = b;
  }
  const databaseUrl = env.RELAY_DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('RELAY_DATABASE_URL must start with postgres://');

  let stripe: StripeTarget | null = null;
  const key = env.RELAY_STRIPE_KEY?.trim();
  if (key) {
    const protocol = env.RELAY_STRIPE_PROTOCOL?.trim();
    if (protocol && protocol !== 'http' && protocol !== 'https') problems.push('RELAY_STRIPE_PROTOCOL must be http or https');
    stripe = { key };
    if (env.RELAY_STRIPE_HOST) stripe.host = env.RELAY_STRIPE_HOST.trim();
    if (env.RELAY_STRIPE_PORT) stripe.port = int('RELAY_STRIPE_PORT', 443, 1, 65535);
    if (protocol === 'http' || protocol === 'https') stripe.protocol = protocol;
  }
  const logLevel = (env.RELAY_LOG_LEVEL ?? 'info') as RelayLogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push('RELAY_LOG_LEVEL must be debug, info, warn or error');

  const config: RelayConfig = {
    host: env.RELAY_HOST?.trim() || '127.0.0.1',
    port: int('RELAY_PORT', 8787, 0, 65535),
    dataDir: resolve(env.RELAY_DATA_DIR?.trim() || '.data/relay'),
    databaseUrl,
    webhookSecrets,
    bodyLimit,
    heartbeatMs: int('RELAY_HEARTBEAT_MS', 15_000, 10, 600_000),
    maxUnacked: int('RELAY_MAX_UNACKED', 100_000, 1, 100_000_000),
    retentionDays: int('RELAY_RETENTION_DAYS', MIN_RETENTION_DAYS, MIN_RETENTION_DAYS, 3650),
    backfillEverySec: int('RELAY_BACKFILL_EVERY_S', 300, 1, 86_400),
    stripe,
    logLevel,
    adminHosts: (env.RELAY_ADMIN_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    maxConnectionsPerAddress: int('RELAY_MAX_CONNECTIONS_PER_ADDRESS', 256, 0, 1_000_000),
    maxBodiesPerAddress: int('RELAY_MAX_BODIES_PER_ADDRESS', 32, 0, 100_000),
    ingestInFlight: env.RELAY_INGEST_IN_FLIGHT ? int('RELAY_INGEST_IN_FLIGHT', 2, 1, 64) : null,
    ingestWaitMs: env.RELAY_INGEST_WAIT_MS ? int('RELAY_INGEST_WAIT_MS', 0, 0, 50) : null,
    ingestConcurrentAt: env.RELAY_INGEST_CONCURRENT_AT ? int('RELAY_INGEST_CONCURRENT_AT', 1, 1, 10_000) : null,
    pgNotifyGatherMs: env.RELAY_PG_NOTIFY_GATHER_MS ? int('RELAY_PG_NOTIFY_GATHER_MS', 0, 0, 100) : null,
    pgAwaitNotify: env.RELAY_PG_AWAIT_NOTIFY === '1',
  };
  if (problems.length > 0) throw new RelayConfigError(problems);
  return config;
}
