import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { registerAdminRoutes } from './adminRoutes';
import { runBackfill, type BackfillClient, type BackfillResult } from './backfill';
import { applyConnectionLimits, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connectionLimits';
import { createDeliveryHub } from './deliveryHub';
import { createIngestQueue } from './ingestQueue';
import { silentRelayLogger, type RelayLogger } from './log';
import { countDelivered, countRejected, createRelayMetrics, renderPrometheus, type RejectReason, type RelayMetrics } from './metrics';
import { DEFAULT_TOLERANCE_SEC } from './signature';
import type { IncomingEvent, IngestOutcome, InstallRow, RelayStore } from './store/types';
import { bearerToken, hashToken } from './tokens';
import { createWebhookHandler } from './webhookHandler';

export type RelayOptions = {
  store: RelayStore;
  /** Endpoint secrets; several while rotating. */
  webhookSecrets: readonly string[];
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  bodyLimit?: number;
  toleranceSec?: number;
  heartbeatMs?: number;
  /** Unacknowledged events per install before the alert (events are kept regardless). */
  maxUnacked?: number;
  retentionMs?: number;
  pruneEveryMs?: number;
  longPollMaxWaitSec?: number;
  backfill?: { stripe: BackfillClient; everyMs: number; initialWindowSec?: number; overlapSec?: number; maxEvents?: number } | null;
  logger?: RelayLogger;
  now?: () => number;
  /** Close the store when the relay closes (the CLI owns it; tests may share one). */
  closeStore?: boolean;
  /** Slow-client bounds (see connectionLimits.ts); unset fields keep their defaults. */
  limits?: Partial<ConnectionLimits>;
  /** Store transactions (batches) in flight at once; default 4 on SQLite, 2 on PostgreSQL. */
  ingestInFlight?: number;
  /** Batch fill window and the queue length that starts a second batch (see ingestQueue.ts). */
  ingestWaitMs?: number;
  ingestConcurrentAt?: number;
  /** Host names (besides loopback) under which the admin routes answer (see adminGuard.ts). */
  adminHosts?: readonly string[];
};

export type RunningRelay = {
  url: string;
  port: number;
  metrics: RelayMetrics;
  store: RelayStore;
  /** Heartbeat figures (tests: heartbeats never come in a burst). */
  heartbeats(): { sent: number; maxPerTurn: number };
  /** Runs one backfill now (tests, admin); null when no Stripe key is configured. */
  backfillNow(): Promise<BackfillResult | null>;
  pruneNow(): Promise<{ deliveries: number; events: number }>;
  close(): Promise<void>;
};

const DAY_MS = 86_400_000;
/** PostgreSQL batching: at most 2 ms more per event to fill a batch; a second batch from 8 waiting. */
export const [DEFAULT_PG_INGEST_WAIT_MS, DEFAULT_PG_CONCURRENT_AT] = [2, 8];

const ackBody = z.object({ upTo: z.number().int().nonnegative() });
/** Decimal digits only: `1e3`, `0x10`, ` 5`, `-1`, `5.0` are refused (400), never read as a number. */
const seqParam = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const eventsQuery = z.object({
  after: seqParam.optional(),
  wait: z.coerce.number().nonnegative().max(3600).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * The webhook relay: verifies and stores Stripe webhooks durably, then streams each install its
 * events (SSE, or long-poll) with a per-install seq it acknowledges. See src/relay/README.md.
 */
export async function startRelay(opts: RelayOptions): Promise<RunningRelay> {
  const store = opts.store;
  const log = opts.logger ?? silentRelayLogger;
  const now = opts.now ?? Date.now;
  const secrets = [...opts.webhookSecrets];
  if (secrets.length === 0) throw new Error('startRelay: at least one webhook secret is required');
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const cap = opts.maxUnacked ?? 100_000;
  const retentionMs = opts.retentionMs ?? 35 * DAY_MS;
  const tolerance = opts.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const maxWaitSec = opts.longPollMaxWaitSec ?? 30;

  let streamsOpen = () => 0;
  const metrics = createRelayMetrics(() => streamsOpen());
  if (store.walSyncs) metrics.walSyncs = () => store.walSyncs!();
  const hub = createDeliveryHub(store, metrics, { heartbeatMs, logger: log });
  streamsOpen = hub.streamsOpen;

  // Installs over the cap, so the alert is logged once per crossing rather than per event.
  const overCap = new Set<string>();
  const onCommitted = (outcome: IngestOutcome, events: readonly IncomingEvent[]) => {
    metrics.ingestBatches += 1;
    const byId = new Map(events.map((e) => [e.id, e]));
    // Straight to the caught-up streams; events claimed from the queue are read from the store.
    hub.push(
      outcome.deliveries.map((d) => {
        const e = byId.get(d.eventId);
        return { installId: d.installId, seq: d.seq, payload: e?.payload ?? null, signature: e?.signature ?? null };
      }),
    );
    for (const d of outcome.deliveries) {
      if (d.unacked > cap && !overCap.has(d.installId)) {
        overCap.add(d.installId);
        metrics.capAlerts += 1;
        // Keep storing: Stripe will not resend after 3 days, so dropping would lose money events.
        log.warn('relay.install.over_cap', { installId: d.installId, unacked: d.unacked, cap });
      }
    }
  };
  // PostgreSQL: a batch costs CPU whatever its size (a round trip, a statement, a commit), so one
  // batch in flight unless 8 wait, filled up to 2 ms after a commit under load (issue 17: ~10 events
  // per batch instead of ~5 with two instances at 32 in flight, all CPU per event −29%). SQLite
  // shares one fsync among everything in flight, so it keeps four and never waits.
  const waitMs = opts.ingestWaitMs ?? (store.kind === 'postgres' ? DEFAULT_PG_INGEST_WAIT_MS : 0);
  const queue = createIngestQueue(store, {
    now,
    onCommitted,
    maxInFlight: opts.ingestInFlight ?? (store.kind === 'postgres' ? 2 : 4),
    concurrentAt: opts.ingestConcurrentAt ?? (store.kind === 'postgres' ? DEFAULT_PG_CONCURRENT_AT : 1),
    fill: { waitMs },
  });
  const ingest = async (ev: IncomingEvent) => {
    const r = await queue.enqueue(ev);
    if (r.duplicate) metrics.duplicates += 1;
    else metrics.stored[ev.source] += 1;
    return r;
  };

  // Refusals are logged, but a flood of forgeries must not flood the log: 20 lines a minute per reason.
  const rejectLog = new Map<RejectReason, { windowStart: number; n: number; suppressed: number }>();
  const reject = (reason: RejectReason, status: number, req: IncomingMessage) => {
    countRejected(metrics, reason);
    const t = now();
    let w = rejectLog.get(reason);
    if (!w || t - w.windowStart > 60_000) {
      if (w && w.suppressed > 0) log.warn('relay.webhook.rejected_suppressed', { reason, count: w.suppressed });
      w = { windowStart: t, n: 0, suppressed: 0 };
      rejectLog.set(reason, w);
    }
    if (w.n < 20) {
      w.n += 1;
      log.warn('relay.webhook.rejected', { reason, status, ip: req.socket.remoteAddress ?? null, length: req.headers['content-length'] ?? null });
    } else w.suppressed += 1;
  };

  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.limits };
  let gate: ReturnType<typeof applyConnectionLimits> | null = null;
  const handleWebhook = createWebhookHandler({
    beginBody: (req) => (gate ? gate.beginBody(req) : () => {}),
    secrets,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    toleranceSec: tolerance,
    nowSec: () => Math.floor(now() / 1000),
    ingest,
    onReceived: () => {
      metrics.received += 1;
    },
    reject,
    onStoreError: (eventId, err) => {
      countRejected(metrics, 'store_error');
      log.error('relay.webhook.store_failed', { eventId, message: (err as Error).message });
    },
  });

  // The webhook route is served by plain node:http in front of fastify (see webhookHandler.ts);
  // everything else (streams, admin, health) goes through fastify.
  const serverFactory = (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void) =>
    createServer({ noDelay: true }, (req, res) => {
      const url = req.url ?? '';
      if (req.method === 'POST' && (url === '/stripe/webhook' || url.startsWith('/stripe/webhook?'))) return handleWebhook(req, res);
      fastifyHandler(req, res);
    });

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true, return503OnClosing: true, serverFactory });
  gate = applyConnectionLimits(app.server, limits);
  metrics.connectionsRefused = () => ({ ...gate!.refused });

  // relay.stream.cursor_ahead once per install per hour; the metric counts every occurrence.
  const aheadLoggedAt = new Map<string, number>();
  app.setErrorHandler((err: { code?: string; statusCode?: number; message: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: 'too_large' });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: 'content_type' });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: 'bad_request' });
    log.error('relay.http.error', { url: req.url, message: err.message });
    return reply.code(500).send({ error: 'internal' });
  });

  const authInstall = async (req: FastifyRequest, reply: FastifyReply): Promise<InstallRow | null> => {
    const token = bearerToken(req.headers.authorization);
    const install = token ? await store.installForTokenHash(hashToken(token)) : undefined;
    if (!install) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      return null;
    }
    if (install.revokedAt !== null) {
      await reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'token_revoked' });
      return null;
    }
    return install;
  };

  app.get('/v1/stream', async (req, reply) => {
    const install = await authInstall(req, reply);
    if (!install) return reply;
    const lastId = req.headers['last-event-id'] ?? (req.query as Record<string, string | undefined>).after;
    const parsed = lastId === undefined || lastId === '' ? null : seqParam.safeParse(String(lastId));
    if (parsed && !parsed.success) return reply.code(400).send({ error: 'bad_last_event_id' });
    // No Last-Event-ID: start after what the install acknowledged.
    const after = parsed ? parsed.data : install.ackedSeq;
    if (after > install.lastSeq) {
      // The till has seen seqs this store never gave (a database restored from an old backup?).
      metrics.cursorAhead += 1;
      const t = now();
      const last = aheadLoggedAt.get(install.id);
      if (last === undefined || t - last >= 3_600_000) {
        aheadLoggedAt.set(install.id, t);
        log.warn('relay.stream.cursor_ahead', { installId: install.id, after, lastSeq: install.lastSeq });
      }
    }
    reply.hijack();
    hub.openStream(install, reply.raw, after);
    return reply;
  });

  app.get('/v1/events', async (req, reply) => {
    const install = await authInstall(req, reply);
    if (!install) return reply;
    const q = eventsQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'bad_query' });
    const after = q.data.after ?? install.ackedSeq;
    const limit = q.data.limit ?? 500;
    let rows = await store.readAfter(install.id, after, limit);
    const waitMs = Math.min(q.data.wait ?? 0, maxWaitSec) * 1000;
    if (rows.length === 0 && waitMs > 0) {
      await hub.wait(install.id, waitMs);
      const again = await store.getInstall(install.id);
      if (!again || again.revokedAt !== null) return reply.code(401).send({ error: 'token_revoked' });
      rows = await store.readAfter(install.id, after, limit);
    }
    const head = (await store.getInstall(install.id))?.lastSeq ?? 0;
    countDelivered(metrics, install.id, rows.length);
    // Payloads are Stripe's JSON text: spliced in rather than parsed and re-serialised. With
    // raw=1 (a till that verifies signatures) each also comes as the exact string Stripe signed.
    const raw = (req.query as Record<string, unknown>).raw === '1';
    const item = (r: (typeof rows)[number]) => {
      let out = `{"seq":${r.seq},"event":${r.payload}`;
      if (r.signature) out += `,"sig":${JSON.stringify(r.signature)}`;
      if (raw) out += `,"raw":${JSON.stringify(r.payload)}`;
      return out + '}';
    };
    const body = `{"events":[${rows.map(item).join(',')}],"head":${head}}`;
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  app.post('/v1/ack', async (req, reply) => {
    const install = await authInstall(req, reply);
    if (!install) return reply;
    const b = ackBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send({ error: 'bad_body' });
    const acked = await store.ack(install.id, b.data.upTo);
    if (overCap.has(install.id) && install.lastSeq - acked <= cap) overCap.delete(install.id);
    return { acked };
  });

  registerAdminRoutes(app, { store, hub, log, now, adminHosts: opts.adminHosts ?? [] });

  let lastBackfill: { at: number; ok: boolean; message?: string } | null = null;
  app.get('/healthz', async (_req, reply) => {
    try {
      await store.ping();
      const over = await store.installsOverCap(cap);
      const reasons: string[] = [];
      if (over.length > 0) reasons.push('install_over_cap');
      if (lastBackfill && !lastBackfill.ok) reasons.push('backfill_failing');
      // Degraded still answers 200: a load balancer must not pull an instance because one till is behind.
      return reply.code(200).send({
        status: reasons.length ? 'degraded' : 'ok',
        reasons,
        store: store.kind,
        overCap: over,
        unassigned: await store.countUnassigned(),
        streams: hub.streamsOpen(),
        backfill: lastBackfill,
      });
    } catch (err) {
      log.error('relay.health.store_down', { message: (err as Error).message });
      return reply.code(503).send({ status: 'down', store: store.kind });
    }
  });

  app.get('/metrics', async (_req, reply) => {
    const installs = await store.listInstalls();
    const text = renderPrometheus(metrics, installs, await store.countUnassigned(), cap, now());
    return reply.code(200).header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(text);
  });

  const unwatch = store.watch((change) => {
    if (change.kind === 'deliveries') hub.wake(change.installIds);
    else if (change.kind === 'revoked') hub.closeInstall(change.installId);
    else {
      hub.wakeAll();
      void hub.recheckInstalls(); // a revocation by the admin CLI closes streams now
    }
  });

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => Promise<unknown>) => {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      fn()
        .catch((err: unknown) => log.error('relay.job.failed', { message: (err as Error).message }))
        .finally(() => {
          busy = false;
        });
    }, ms);
    t.unref();
    timers.push(t);
  };

  const pruneNow = async () => {
    const total = { deliveries: 0, events: 0 };
    const cutoff = now() - retentionMs;
    // Bounded: 50 rounds of 5,000 rows per run; the next run continues.
    for (let i = 0; i < 50; i++) {
      const r = await store.prune(cutoff, 5000);
      total.deliveries += r.deliveries;
      total.events += r.events;
      if (r.deliveries < 5000 && r.events < 5000) break;
    }
    if (total.deliveries || total.events) log.info('relay.prune.done', total);
    return total;
  };

  const bf = opts.backfill;
  const backfillNow = async (): Promise<BackfillResult | null> => {
    if (!bf) return null;
    try {
      const r = await runBackfill({
        stripe: bf.stripe,
        store,
        ingest,
        logger: log,
        now,
        ...(bf.initialWindowSec !== undefined && { initialWindowSec: bf.initialWindowSec }),
        ...(bf.overlapSec !== undefined && { overlapSec: bf.overlapSec }),
        ...(bf.maxEvents !== undefined && { maxEvents: bf.maxEvents }),
      });
      metrics.backfillRuns += 1;
      lastBackfill = { at: now(), ok: true };
      return r;
    } catch (err) {
      metrics.backfillErrors += 1;
      lastBackfill = { at: now(), ok: false, message: (err as Error).message };
      log.warn('relay.backfill.failed', { message: (err as Error).message });
      throw err;
    }
  };

  // Heartbeats are per stream (deliveryHub.ts): no timer here walks every stream.
  every(opts.pruneEveryMs ?? 3_600_000, pruneNow);
  if (bf) every(bf.everyMs, backfillNow);

  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  log.info('relay.started', { url: address, store: store.kind, endpoints: secrets.length });

  let closing: Promise<void> | null = null;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    metrics,
    store,
    heartbeats: () => ({ sent: hub.heartbeatsSent, maxPerTurn: hub.maxHeartbeatsPerTurn }),
    backfillNow,
    pruneNow,
    close: () =>
      (closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        unwatch();
        hub.close();
        await app.close();
        await queue.drain();
        if (opts.closeStore) await store.close();
        log.info('relay.stopped', {});
      })()),
  };
}
