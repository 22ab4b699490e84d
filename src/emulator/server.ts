// Over 400 lines on purpose: startEmulator is one closure wiring the request path, the timers and
// the admin API over shared state; each concern it calls lives in its own module.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, type AdminApi } from './admin';
import { isIssuedKeys, issueKeys, KeyRing } from './apiKeys';
import { allowedHosts, checkCaller, isTerminalJsPath } from './callerGuard';
import { Clock } from './clock';
import { Core } from './core';
import {
  ApiError,
  errorJson,
  idempotencyMismatch,
  injectedError,
  injectedRateLimit,
  injectedServerError,
  invalidRequest,
  unrecognizedUrl,
} from './errors';
import { DEFAULT_API_VERSION, EventLog, NO_REQUEST, type EventListener } from './events';
import { applyExpand } from './expand';
import { Faults, type FaultInput } from './faults';
import { TrafficFaults, type TrafficConfig, type TrafficStats } from './trafficFaults';
import { expandPaths, parseForm } from './form';
import { IdempotencyStore } from './idempotency';
import { newRequestId } from './ids';
import { handlePage } from './pages';
import { checkApiKey, headerValue, readBody, sleep } from './request';
import { makeSnapshot, readSnapshot, type SnapshotIo } from './persist';
import { balanceTransactionRoutes } from './resources/balanceTransactions';
import { chargeRoutes } from './resources/charges';
import { checkoutRoutes } from './resources/checkout';
import { customerRoutes } from './resources/customers';
import { paymentIntentRoutes } from './resources/paymentIntents';
import { paymentMethodRoutes } from './resources/paymentMethods';
import { refundRoutes } from './resources/refunds';
import { terminalRoutes } from './resources/terminal';
import { addWebhookEndpoint, deleteWebhookEndpoint, webhookEndpointRoutes } from './resources/webhookEndpoints';
import { Router } from './router';
import { createState, loadState } from './state';
import { StateSaver, type StateFileHealth } from './stateSaver';
import { recomputeDeadline, runDueWork } from './sweeper';
import { connectionTokenRoute, TerminalJs } from './terminalJs';
import { WebhookDispatcher, type DeliveryAttempt } from './webhooks';

export type EmulatorOptions = {
  /** 0 or absent: a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; admin routes answer loopback callers only whatever the host. */
  host?: string;
  /** JSON snapshot: loaded at start if present, written shortly after each change and on close. */
  statePath?: string;
  /** Wait before each webhook retry; its length bounds the retries. Default 1 s, 5 s, 30 s, 2 min, 10 min. */
  webhookRetryDelaysMs?: number[];
  /** Per delivery attempt. Default 10 s. */
  webhookTimeoutMs?: number;
  /** Base clock in unix ms (tests may pin it); advanceClock adds to it. */
  now?: () => number;
  /** How long (emulator seconds) a refund on the refund_fail or pendingRefund card stays pending. Default 2. */
  refundFailureDelaySeconds?: number;
  /** Events kept in memory (oldest dropped first). Default 20,000. */
  maxEvents?: number;
  /** Idempotency keys kept (oldest evicted first; all expire after 24 h). Default 10,000. */
  idempotencyCapacity?: number;
  /** More keys to accept besides the two it issues (test-mode `sk_test_`/`rk_test_` only). */
  apiKeys?: string[];
  /** Tests only: the disk the state file is written through (to inject ENOSPC and the like). */
  stateIo?: SnapshotIo;
  /** Waits before retrying a failed state-file write; the last repeats. Default 1 s, 5 s, 30 s, 60 s. */
  saveRetryDelaysMs?: number[];
};

export type EmulatorHealth = { stateFile: StateFileHealth };

export type StripeClientOptions = { host: string; port: number; protocol: 'http' };

export type Emulator = {
  url: string;
  port: number;
  /** The secret key this emulator issued (kept in the state file); other keys get Stripe's 401. */
  apiKey: string;
  /** A restricted key (`rk_test_…`) it issued too. */
  restrictedKey: string;
  stripeOptions: StripeClientOptions;
  close(): Promise<void>;
  /** Moves emulator time forward and applies what became due (hold expiry, session expiry, refund failures). */
  advanceClock(seconds: number): void;
  /** Emulator time, unix seconds. */
  now(): number;
  setFaults(faults: FaultInput): void;
  /** Rate limit, a share of transient 500s, and 500s after the request took effect (see trafficFaults.ts); null clears. */
  setTraffic(config: TrafficConfig | null): void;
  trafficStats(): TrafficStats;
  clearFaults(): void;
  addWebhookEndpoint(url: string, events?: string[]): { id: string; secret: string };
  reset(): void;
  /** Writes the state file now (no-op without statePath). */
  save(): void;
  /** Every stored object, the event log and live config, as plain JSON. */
  dump(): unknown;
  webhookAttempts(): readonly DeliveryAttempt[];
  /** In-process subscription to every recorded event. */
  onEvent(listener: EventListener): () => void;
  /** Whether the state file is being saved (a full disk shows here, never as a crash); also GET /_emulator/health. */
  health(): EmulatorHealth;
};

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
const SAVE_DEBOUNCE_MS = 200;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Starts the emulator on loopback and resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock(opts.now ?? Date.now);
  const events = new EventLog(clock, opts.maxEvents ?? 20_000);
  const core = new Core(clock, events, { refundFailureDelaySeconds: opts.refundFailureDelaySeconds ?? 2 });
  const idempotency = new IdempotencyStore(clock, opts.idempotencyCapacity ?? 10_000);
  const faults = new Faults();
  const traffic = new TrafficFaults();
  const router = new Router();
  router.add([
    ...paymentIntentRoutes,
    ...chargeRoutes,
    ...refundRoutes,
    ...customerRoutes,
    ...paymentMethodRoutes,
    ...checkoutRoutes,
    connectionTokenRoute,
    // terminal.ts's own connection-token route is replaced: the SDK must redeem each token once.
    ...terminalRoutes.filter(([m, pattern]) => !(m === 'POST' && pattern === connectionTokenRoute[1])),
    ...webhookEndpointRoutes,
    ...balanceTransactionRoutes,
  ]);
  const webhooks = new WebhookDispatcher(
    events,
    {
      get: (id) => {
        const endpoint = core.state.webhookEndpoints.get(id);
        const secret = core.state.webhookSecrets.get(id);
        return endpoint && secret ? { endpoint, secret } : undefined;
      },
      *all() {
        for (const endpoint of core.state.webhookEndpoints.values()) {
          const secret = core.state.webhookSecrets.get(endpoint.id);
          if (secret) yield { endpoint, secret };
        }
      },
    },
    opts.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    opts.webhookTimeoutMs ?? 10_000,
  );
  events.onEvent((event) => webhooks.dispatch(event));

  const statePath = opts.statePath;
  let issued = issueKeys();
  if (statePath) {
    const snap = readSnapshot(statePath);
    if (snap) {
      if (isIssuedKeys(snap.keys)) issued = snap.keys;
      clock.restore(snap.clockOffsetSeconds);
      core.state = loadState(snap.state);
      events.load(snap.events);
      idempotency.load(snap.idempotency);
      recomputeDeadline(core);
    }
  }

  // One timer for the earliest deadline, so holds expire and refunds fail without a request.
  let deadlineTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const armDeadline = (): void => {
    if (deadlineTimer) clearTimeout(deadlineTimer);
    deadlineTimer = null;
    if (closed || !Number.isFinite(core.nextDeadline)) return;
    const wait = Math.min(Math.max(core.nextDeadline * 1000 - clock.nowMs(), 0) + 5, 2 ** 31 - 1);
    deadlineTimer = setTimeout(() => {
      deadlineTimer = null;
      runDueWork(core);
      afterChange();
      armDeadline();
    }, wait);
    deadlineTimer.unref();
  };
  core.onDeadline = armDeadline;

  const keys = new KeyRing(issued, opts.apiKeys);
  const saver = new StateSaver(
    statePath ?? null,
    () => makeSnapshot({ clockOffsetSeconds: clock.offsetSeconds, state: core.state, events: events.dump(), idempotency: idempotency.dump(), keys: issued }),
    { debounceMs: SAVE_DEBOUNCE_MS, retryDelaysMs: opts.saveRetryDelaysMs ?? [1_000, 5_000, 30_000, 60_000], ...(opts.stateIo ? { io: opts.stateIo } : {}) },
  );
  const save = (): void => void saver.saveNow();
  const afterChange = (): void => saver.changed();
  const terminalJs = new TerminalJs(() => core, afterChange);

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string): void => {
    headers['Content-Length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string, preRead?: string): Promise<void> => {
    const decision = faults.decide(method, path);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.action === 'drop-before') {
      req.socket.destroy();
      return;
    }
    const requestId = newRequestId();
    const apiVersion = headerValue(req, 'stripe-version') ?? DEFAULT_API_VERSION;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, no-store',
      'Request-Id': requestId,
      'Stripe-Version': apiVersion,
    };
    const fail = (err: ApiError): void => send(res, err.status, { ...headers, ...err.headers }, errorJson(err, requestId));

    const authError = checkApiKey(headerValue(req, 'authorization'), (key) => keys.accepts(key));
    if (authError) return fail(authError);
    const shaped = traffic.before();
    if (shaped === 'rateLimit') return fail(injectedRateLimit(true));
    if (shaped === 'error500') return fail(injectedServerError());
    const injected = injectedError(decision.action, decision.shouldRetry);
    if (injected) return fail(injected);

    let raw = '';
    let params;
    try {
      raw = method === 'GET' ? query : (preRead ?? (await readBody(req)));
      params = parseForm(method === 'DELETE' && raw === '' ? query : raw);
    } catch (err) {
      return fail(err instanceof ApiError ? err : invalidRequest('Could not read the request body.', { cacheable: false }));
    }
    const route = router.match(method, path);
    if (!route) return fail(unrecognizedUrl(method, path));

    const idempotencyKey = method === 'POST' || method === 'DELETE' ? (headerValue(req, 'idempotency-key') ?? null) : null;
    if (idempotencyKey !== null) {
      headers['Idempotency-Key'] = idempotencyKey;
      if (idempotencyKey.length > 255) return fail(invalidRequest('Idempotency-Key must be at most 255 characters long.', { param: 'Idempotency-Key', cacheable: false }));
      const stored = idempotency.get(idempotencyKey);
      if (stored) {
        if (stored.fingerprint !== IdempotencyStore.fingerprint(method, path, raw)) return fail(idempotencyMismatch(idempotencyKey));
        if (decision.action === 'drop-after') {
          req.socket.destroy();
          return;
        }
        send(res, stored.status, { ...headers, 'Request-Id': stored.requestId, 'Idempotent-Replayed': 'true' }, stored.body);
        return;
      }
    }

    runDueWork(core);
    events.current = { id: requestId, idempotency_key: idempotencyKey, apiVersion };
    let status = 200;
    let body: string;
    let cacheable = true;
    let extraHeaders: Record<string, string> = {};
    try {
      const result = route.handler(core, params, route.ids);
      body = JSON.stringify(applyExpand(core, result, expandPaths(params)));
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : null;
      if (!apiErr) process.stderr.write(`[emulator] ${method} ${path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      const e = apiErr ?? new ApiError(500, { type: 'api_error', message: 'An unexpected error occurred in the Stripe emulator.' }, { cacheable: false });
      status = e.status;
      body = errorJson(e, requestId);
      cacheable = e.cacheable;
      extraHeaders = e.headers;
    } finally {
      events.current = NO_REQUEST;
    }
    if (idempotencyKey !== null && cacheable) {
      idempotency.put(idempotencyKey, { fingerprint: IdempotencyStore.fingerprint(method, path, raw), status, body, requestId, createdSec: clock.nowSec() });
    }
    if (method !== 'GET') afterChange();
    if (decision.action === 'drop-after') {
      req.socket.destroy();
      return;
    }
    if (traffic.after(method, path)) return fail(injectedServerError());
    send(res, status, { ...headers, ...extraHeaders }, body);
  };

  const adminApi: AdminApi = {
    reset: () => {
      webhooks.cancelPending();
      webhooks.clearLog();
      core.state = createState();
      core.nextDeadline = Infinity;
      events.clear();
      idempotency.clear();
      faults.clear();
      terminalJs.reset();
      traffic.set(null);
      clock.reset();
      armDeadline();
      afterChange();
    },
    setFaults: (input) => faults.set(input),
    faults: () => faults.list(),
    advanceClock: (seconds) => {
      clock.advance(seconds);
      runDueWork(core);
      armDeadline();
      afterChange();
    },
    clock: () => ({ now: clock.nowSec(), offset_seconds: clock.offsetSeconds }),
    dump: () => ({
      ...makeSnapshot({ clockOffsetSeconds: clock.offsetSeconds, state: core.state, events: events.dump(), idempotency: [] }),
      idempotencyKeys: idempotency.size,
      faults: faults.list(),
    }),
    addWebhookEndpoint: (url, list) => {
      const created = addWebhookEndpoint(core, url, list ?? ['*']);
      afterChange();
      return { id: created.id, secret: created.secret };
    },
    removeWebhookEndpoint: (id) => {
      deleteWebhookEndpoint(core, id);
      afterChange();
    },
    webhookEndpoints: () => ({
      data: [...core.state.webhookEndpoints.values()].map((e) => ({ ...e, secret: core.state.webhookSecrets.get(e.id) })),
    }),
    webhookAttempts: () => webhooks.attempts(),
    save,
    health: () => ({ stateFile: saver.health() }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';
    const refused = checkCaller(req, path, hosts);
    if (refused) {
      send(res, refused.status, { 'Content-Type': 'application/json', Connection: 'close' }, JSON.stringify({ error: { type: 'invalid_request_error', message: refused.message } }));
      return;
    }
    if (path.startsWith('/v1/')) return handleApi(req, res, method, path, query);
    const body = method === 'POST' || method === 'DELETE' ? await readBody(req) : '';
    if (isTerminalJsPath(path)) {
      const answer = terminalJs.handle(method, path, headerValue(req, 'authorization'), body);
      send(res, answer.status, answer.headers, answer.body);
      return;
    }
    if (path.startsWith('/_emulator/') && !path.startsWith('/_emulator/3ds/')) {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        send(res, 403, { 'Content-Type': 'application/json' }, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Admin routes answer loopback callers only.' } }));
        return;
      }
      const result = handleAdmin(adminApi, method, path, body);
      send(res, result.status, { 'Content-Type': 'application/json' }, JSON.stringify(result.body));
      return;
    }
    runDueWork(core);
    events.current = { ...NO_REQUEST, id: newRequestId() };
    let page;
    try {
      page = handlePage(core, method, path, body);
    } finally {
      events.current = NO_REQUEST;
    }
    if (page) {
      if (method === 'POST') afterChange();
      send(res, page.status, page.headers, page.body);
      return;
    }
    return handleApi(req, res, method, path, query, body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`[emulator] ${String(err)}\n`);
      if (!res.headersSent) {
        const e = err instanceof ApiError ? err : new ApiError(500, { type: 'api_error', message: 'An unexpected error occurred in the Stripe emulator.' }, { cacheable: false });
        send(res, e.status, { 'Content-Type': 'application/json' }, errorJson(e, newRequestId()));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hosts = allowedHosts(host, port);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostForUrl}:${port}`;
  core.baseUrl = url;
  runDueWork(core);
  armDeadline();

  return {
    url,
    port,
    apiKey: issued.secret,
    restrictedKey: issued.restricted,
    stripeOptions: { host, port, protocol: 'http' },
    close: async () => {
      if (closed) return;
      closed = true;
      if (deadlineTimer) clearTimeout(deadlineTimer);
      webhooks.close();
      saver.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    advanceClock: adminApi.advanceClock,
    now: () => clock.nowSec(),
    setFaults: adminApi.setFaults,
    setTraffic: (config) => traffic.set(config),
    trafficStats: () => ({ ...traffic.stats }),
    clearFaults: () => faults.clear(),
    addWebhookEndpoint: adminApi.addWebhookEndpoint,
    reset: adminApi.reset,
    save,
    dump: adminApi.dump,
    webhookAttempts: () => webhooks.attempts(),
    onEvent: (listener) => events.onEvent(listener),
    health: () => ({ stateFile: saver.health() }),
  };
}
