import { z } from 'zod';
import type { FaultInput, FaultRule } from './faults';
import { faultInputSchema } from './faults';

/** What /_emulator/ exposes; the in-process Emulator object offers the same operations directly. */
export type AdminApi = {
  reset(): void;
  setFaults(input: FaultInput): void;
  faults(): FaultRule[];
  advanceClock(seconds: number): void;
  clock(): { now: number; offset_seconds: number };
  dump(): unknown;
  addWebhookEndpoint(url: string, events?: string[]): { id: string; secret: string };
  removeWebhookEndpoint(id: string): void;
  webhookEndpoints(): unknown;
  webhookAttempts(): unknown;
  save(): void;
  /** The state file's health: a failed write shows here (and is retried), never as a crash. */
  health(): unknown;
};

export type AdminResult = { status: number; body: unknown };

const advanceSchema = z.object({ seconds: z.number().finite().min(0) });
const endpointSchema = z.object({ url: z.string().url(), events: z.array(z.string()).min(1).optional() });

function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  return JSON.parse(body) as unknown;
}

/**
 * Admin routes (JSON in, JSON out, no Stripe key; loopback callers only):
 *   POST /_emulator/reset                      forget everything (state, events, keys, faults, clock offset)
 *   GET|POST|DELETE /_emulator/faults          read, replace (rule or list of rules), clear
 *   GET /_emulator/clock, POST /_emulator/clock/advance {seconds}
 *   GET /_emulator/state                       full dump
 *   GET|POST /_emulator/webhook_endpoints {url, events?}, DELETE /_emulator/webhook_endpoints/:id
 *   GET /_emulator/webhook_attempts            recent delivery attempts
 *   POST /_emulator/save                       write the state file now (when started with one)
 *   GET /_emulator/health                      { stateFile: { ok, lastSavedAt, failures, lastError, … } }
 */
export function handleAdmin(api: AdminApi, method: string, path: string, body: string): AdminResult {
  try {
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'POST /_emulator/reset':
        api.reset();
        return { status: 200, body: { ok: true } };
      case 'GET /_emulator/faults':
        return { status: 200, body: { faults: api.faults() } };
      case 'POST /_emulator/faults': {
        const raw = parseJson(body);
        const input = typeof raw === 'object' && raw !== null && 'faults' in raw ? (raw as { faults: unknown }).faults : raw;
        api.setFaults(faultInputSchema.parse(input));
        return { status: 200, body: { faults: api.faults() } };
      }
      case 'DELETE /_emulator/faults':
        api.setFaults(null);
        return { status: 200, body: { faults: [] } };
      case 'GET /_emulator/clock':
        return { status: 200, body: api.clock() };
      case 'POST /_emulator/clock/advance':
        api.advanceClock(advanceSchema.parse(parseJson(body)).seconds);
        return { status: 200, body: api.clock() };
      case 'GET /_emulator/state':
        return { status: 200, body: api.dump() };
      case 'GET /_emulator/webhook_endpoints':
        return { status: 200, body: api.webhookEndpoints() };
      case 'POST /_emulator/webhook_endpoints': {
        const input = endpointSchema.parse(parseJson(body));
        return { status: 200, body: api.addWebhookEndpoint(input.url, input.events) };
      }
      case 'GET /_emulator/webhook_attempts':
        return { status: 200, body: { attempts: api.webhookAttempts() } };
      case 'POST /_emulator/save':
        api.save();
        return { status: 200, body: { ok: true } };
      case 'GET /_emulator/health':
        return { status: 200, body: api.health() };
    }
    const del = /^DELETE \/_emulator\/webhook_endpoints\/([^/]+)$/.exec(route);
    if (del) {
      api.removeWebhookEndpoint(decodeURIComponent(del[1] as string));
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unknown admin route ${method} ${path}` } } };
  } catch (err) {
    const message = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : err instanceof Error ? err.message : String(err);
    return { status: 400, body: { error: { type: 'invalid_request_error', message } } };
  }
}
