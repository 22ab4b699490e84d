import type { Clock } from './clock';
import { invalidRequest, resourceMissing } from './errors';
import { allowOnly, bool, paramSet, PAGINATION, str, strArray, type Params } from './form';
import { newId } from './ids';
import { newestFirst, paginate, rangeFilter } from './pagination';
import { snapshot } from './snapshot';
import type { ListObject, StripeEvent } from './types';

/** The version stripe-node 23.1.0 pins; used when a request names none. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';
const RETENTION_SECONDS = 30 * 24 * 3600;

export type RequestInfo = { id: string | null; idempotency_key: string | null; apiVersion: string };
export const NO_REQUEST: RequestInfo = { id: null, idempotency_key: null, apiVersion: DEFAULT_API_VERSION };

const LIST_PARAMS = paramSet('created', 'delivery_success', 'type', 'types', ...PAGINATION);

function typeMatcher(pattern: string): (type: string) => boolean {
  if (pattern === '*') return () => true;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return (type) => type.startsWith(prefix);
  }
  return (type) => type === pattern;
}

export type EventListener = (event: StripeEvent) => void;

/**
 * Every state change is recorded here as an Event, newest last. Bounded: past `maxEvents` the
 * oldest are dropped (Stripe keeps 30 days; a benchmark would otherwise grow without limit).
 */
export class EventLog {
  private events: StripeEvent[] = [];
  private readonly byId = new Map<string, StripeEvent>();
  /** Per event, the webhook endpoints still owed a successful delivery. */
  private readonly undelivered = new Map<string, Set<string>>();
  /** The API request being served; events it causes carry its id and idempotency key. */
  current: RequestInfo = NO_REQUEST;
  private readonly listeners: EventListener[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly maxEvents = 20_000,
  ) {}

  onEvent(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i !== -1) this.listeners.splice(i, 1);
    };
  }

  record(type: string, object: unknown, previous?: Record<string, unknown>): StripeEvent {
    const data: StripeEvent['data'] = { object: snapshot(object) };
    if (previous !== undefined) data.previous_attributes = previous;
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.current.apiVersion,
      created: this.clock.nowSec(),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: { id: this.current.id, idempotency_key: this.current.idempotency_key },
      type,
    };
    this.events.push(event);
    this.byId.set(event.id, event);
    if (this.events.length > this.maxEvents + Math.ceil(this.maxEvents / 10)) this.trim();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  private trim(): void {
    const dropped = this.events.splice(0, this.events.length - this.maxEvents);
    for (const e of dropped) {
      this.byId.delete(e.id);
      this.undelivered.delete(e.id);
    }
  }

  owe(event: StripeEvent, endpointIds: string[]): void {
    if (endpointIds.length === 0) return;
    this.undelivered.set(event.id, new Set(endpointIds));
    event.pending_webhooks = endpointIds.length;
  }

  delivered(eventId: string, endpointId: string): void {
    const owed = this.undelivered.get(eventId);
    const event = this.byId.get(eventId);
    if (!owed || !event) return;
    owed.delete(endpointId);
    event.pending_webhooks = owed.size;
    if (owed.size === 0) this.undelivered.delete(eventId);
  }

  get(id: string): StripeEvent {
    const event = this.byId.get(id);
    if (!event || event.created < this.clock.nowSec() - RETENTION_SECONDS) throw resourceMissing('event', id);
    return event;
  }

  all(): readonly StripeEvent[] {
    return this.events;
  }

  list(p: Params): ListObject<StripeEvent> {
    allowOnly(p, LIST_PARAMS);
    const type = str(p, 'type');
    const types = strArray(p, 'types');
    if (type !== undefined && types !== undefined) {
      throw invalidRequest('You may only specify one of these parameters: type, types.', { cacheable: false });
    }
    if (types !== undefined && types.length > 20) throw invalidRequest('You may pass up to 20 types.', { param: 'types', cacheable: false });
    const matchers = (type !== undefined ? [type] : (types ?? [])).map(typeMatcher);
    const created = rangeFilter(p, 'created');
    const deliverySuccess = bool(p, 'delivery_success');
    const oldest = this.clock.nowSec() - RETENTION_SECONDS;
    const keep = (e: StripeEvent): boolean =>
      e.created >= oldest &&
      (matchers.length === 0 || matchers.some((m) => m(e.type))) &&
      (created === null || created(e.created)) &&
      (deliverySuccess === undefined || deliverySuccess === (e.pending_webhooks === 0));
    return paginate(newestFirst(this.events, keep), p, '/v1/events');
  }

  clear(): void {
    this.events = [];
    this.byId.clear();
    this.undelivered.clear();
  }

  dump(): { events: StripeEvent[]; undelivered: [string, string[]][] } {
    return { events: this.events, undelivered: [...this.undelivered].map(([id, set]) => [id, [...set]]) };
  }

  load(dump: { events: StripeEvent[]; undelivered: [string, string[]][] }): void {
    this.clear();
    this.events = dump.events;
    for (const e of this.events) this.byId.set(e.id, e);
    for (const [id, ids] of dump.undelivered) this.undelivered.set(id, new Set(ids));
  }
}
