import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RejectReason } from './metrics';
import { routeHints } from './route';
import { verifyStripeSignature } from './signature';
import type { IncomingEvent, IngestResult } from './store/types';

export type WebhookDeps = {
  secrets: readonly string[];
  bodyLimit: number;
  toleranceSec: number;
  nowSec: () => number;
  ingest: (event: IncomingEvent) => Promise<IngestResult>;
  onReceived: () => void;
  reject: (reason: RejectReason, status: number, req: IncomingMessage) => void;
  onStoreError: (eventId: string, err: unknown) => void;
  /** Admission for a body (per-address cap, see connectionLimits.ts); null refuses it. */
  beginBody?: (req: IncomingMessage) => (() => void) | null;
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function send(res: ServerResponse, status: number, body: string, close = false): void {
  res.writeHead(status, close ? { ...JSON_HEADERS, connection: 'close' } : JSON_HEADERS);
  res.end(body);
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** Stripe's event envelope: checked by hand, this is the hottest path of the relay. */
function envelope(v: unknown): { id: string; type: string; created: number } | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const ok =
    typeof o.id === 'string' &&
    o.id.length > 0 &&
    o.id.length <= 255 &&
    typeof o.type === 'string' &&
    o.type.length > 0 &&
    o.type.length <= 255 &&
    typeof o.created === 'number' &&
    Number.isInteger(o.created) &&
    o.created >= 0;
  return ok ? { id: o.id as string, type: o.type as string, created: o.created as number } : null;
}

/**
 * POST /stripe/webhook on plain node:http (measured: about twice fastify's rate for this route,
 * see bench/relay.bench.ts `framework`). Reads the raw bytes up to the limit (413 beyond, without
 * reading a body whose declared length is already too big), verifies the signature over exactly
 * those bytes, checks the JSON, waits for the durable write, then answers 200.
 */
export function createWebhookHandler(d: WebhookDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: RejectReason, close = false) => {
    d.reject(reason, status, req);
    send(res, status, `{"error":"${reason}"}`, close);
  };

  const handleBody = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const header = req.headers['stripe-signature'];
    const check = verifyStripeSignature(raw, typeof header === 'string' ? header : undefined, d.secrets, d.nowSec(), d.toleranceSec);
    if (!check.ok) return refuse(req, res, 400, check.reason);
    // The bytes are kept as text: only valid UTF-8 survives that round trip exactly (Stripe sends UTF-8).
    if (!isUtf8(raw)) return refuse(req, res, 400, 'malformed_json');
    const text = raw.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return refuse(req, res, 400, 'malformed_json');
    }
    const env = envelope(parsed);
    if (!env) return refuse(req, res, 400, 'invalid_event');
    // Stripe's exact bytes and header, stored once and streamed unchanged (never re-serialised),
    // so a till holding the endpoint secret can verify the signature itself.
    let result: IngestResult;
    try {
      result = await d.ingest({ ...env, payload: text, signature: header as string, hints: routeHints(parsed), source: 'webhook' });
    } catch (err) {
      d.onStoreError(env.id, err);
      // Not stored: a 5xx makes Stripe retry.
      return send(res, 503, '{"error":"store_unavailable"}');
    }
    send(res, 200, result.duplicate ? '{"received":true,"duplicate":true}' : '{"received":true}');
  };

  return (req, res) => {
    d.onReceived();
    if (!isJson(req.headers['content-type'])) {
      req.resume();
      return refuse(req, res, 415, 'content_type');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > d.bodyLimit) {
      refuse(req, res, 413, 'too_large', true);
      return req.destroy();
    }
    const release = d.beginBody ? d.beginBody(req) : () => {};
    if (!release) {
      // Too many bodies in flight from this address: answer now and free the descriptor.
      send(res, 503, '{"error":"busy"}', true);
      res.on('finish', () => req.destroy());
      return;
    }
    req.once('close', release);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > d.bodyLimit) {
        over = true;
        chunks.length = 0;
        refuse(req, res, 413, 'too_large', true);
        res.on('finish', () => req.destroy());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      release();
      if (over) return;
      void handleBody(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', () => res.destroy());
  };
}
