import type { Core } from '../core';
import { invalidRequest, parameterMissing, resourceMissing } from '../errors';
import { allowOnly, applyMetadata, bool, nullableStr, PAGINATION, paramSet, reqStr, str, strArray, type Params } from '../form';
import { newId, randomToken } from '../ids';
import { newestFirst, paginate } from '../pagination';
import type { RouteDef } from '../router';
import type { WebhookEndpoint } from '../types';

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, { param: 'url', cacheable: false });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidRequest('Invalid URL: must be http or https.', { param: 'url', cacheable: false });
  return url;
}

function checkEvents(events: string[]): string[] {
  if (events.length === 0) throw parameterMissing('enabled_events');
  for (const [i, e] of events.entries()) {
    if (e !== '*' && !/^[a-z_]+(\.[a-z_]+)+$/.test(e)) throw invalidRequest(`Invalid enabled_events[${i}]: ${e}`, { param: `enabled_events[${i}]`, cacheable: false });
  }
  return events;
}

/** Registers an endpoint; the secret is returned once, on creation, as Stripe does. */
export function addWebhookEndpoint(core: Core, url: string, events: string[], extra: { description?: string | null; metadata?: Record<string, string>; apiVersion?: string | null } = {}): WebhookEndpoint & { secret: string } {
  const endpoint: WebhookEndpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: extra.apiVersion ?? null,
    application: null,
    created: core.now(),
    description: extra.description ?? null,
    enabled_events: checkEvents(events),
    livemode: false,
    metadata: extra.metadata ?? {},
    status: 'enabled',
    url: checkUrl(url),
  };
  const secret = `whsec_${randomToken(32)}`;
  core.state.webhookEndpoints.set(endpoint.id, endpoint);
  core.state.webhookSecrets.set(endpoint.id, secret);
  return { ...endpoint, secret };
}

function get(core: Core, id: string): WebhookEndpoint {
  const e = core.state.webhookEndpoints.get(id);
  if (!e) throw resourceMissing('webhook_endpoint', id);
  return e;
}

function create(core: Core, p: Params): unknown {
  allowOnly(p, paramSet('enabled_events', 'url', 'api_version', 'connect', 'description', 'metadata'));
  const events = strArray(p, 'enabled_events');
  if (!events) throw parameterMissing('enabled_events');
  return addWebhookEndpoint(core, reqStr(p, 'url'), events, {
    description: str(p, 'description') ?? null,
    metadata: applyMetadata({}, p) ?? {},
    apiVersion: str(p, 'api_version') ?? null,
  });
}

function update(core: Core, p: Params, [id]: string[]): WebhookEndpoint {
  allowOnly(p, paramSet('description', 'disabled', 'enabled_events', 'metadata', 'url'));
  const e = get(core, id as string);
  const url = str(p, 'url');
  if (url) e.url = checkUrl(url);
  const events = strArray(p, 'enabled_events');
  if (events) e.enabled_events = checkEvents(events);
  const description = nullableStr(p, 'description');
  if (description !== undefined) e.description = description;
  const disabled = bool(p, 'disabled');
  if (disabled !== undefined) e.status = disabled ? 'disabled' : 'enabled';
  const metadata = applyMetadata(e.metadata, p);
  if (metadata) e.metadata = metadata;
  return e;
}

export function deleteWebhookEndpoint(core: Core, id: string): unknown {
  const e = get(core, id);
  core.state.webhookEndpoints.delete(e.id);
  core.state.webhookSecrets.delete(e.id);
  return { deleted: true, id: e.id, object: 'webhook_endpoint' };
}

export const webhookEndpointRoutes: RouteDef[] = [
  ['POST', '/v1/webhook_endpoints', create],
  ['GET', '/v1/webhook_endpoints', (core, p) => {
    allowOnly(p, paramSet(...PAGINATION));
    return paginate(newestFirst(core.state.webhookEndpoints.values(), () => true), p, '/v1/webhook_endpoints');
  }],
  ['GET', '/v1/webhook_endpoints/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return get(core, id as string);
  }],
  ['POST', '/v1/webhook_endpoints/:id', update],
  ['DELETE', '/v1/webhook_endpoints/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return deleteWebhookEndpoint(core, id as string);
  }],
  ['GET', '/v1/events', (core, p) => core.events.list(p)],
  ['GET', '/v1/events/:id', (core, p, [id]) => {
    allowOnly(p, paramSet());
    return core.events.get(id as string);
  }],
];
