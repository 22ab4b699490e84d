import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryRelayLogger } from './log';
import { addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from './testing/testRelay';
import { makeEvent, postWebhook, signatureHeader } from './testing/webhooks';

const OLD_SECRET = 'whsec_test_rotated_out';

describe('POST /stripe/webhook', () => {
  let t: TestRelay;
  let installId: string;
  const logger = memoryRelayLogger();
  const stored = async () => (await t.store.readAfter(installId, 0, 1000)).map((r) => r.eventId);
  const body = (id: string, pad?: number) => JSON.stringify(makeEvent({ id, installId, ...(pad && { padTo: pad }) }), null, 2);

  beforeAll(async () => {
    t = await startTestRelay({ webhookSecrets: [TEST_SECRET, OLD_SECRET], bodyLimit: 64 * 1024, logger });
    installId = (await addTestInstall(t.store, 'Counter 1')).id;
  });
  afterAll(() => t.cleanup());

  it('stores a signed event and answers 2xx; the secret being rotated out still works', async () => {
    expect(await postWebhook(t.url, body('evt_ok'), { secret: TEST_SECRET })).toEqual({ status: 200, body: '{"received":true}' });
    expect((await postWebhook(t.url, body('evt_ok_old'), { secret: OLD_SECRET })).status).toBe(200);
    expect(await stored()).toEqual(['evt_ok', 'evt_ok_old']);
  });

  it('acknowledges a duplicate (Stripe retry or replay of the same delivery) and stores it once', async () => {
    const payload = body('evt_dup');
    const header = signatureHeader(payload, TEST_SECRET);
    const results = await Promise.all([1, 2, 3].map(() => postWebhook(t.url, payload, { signature: header })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.body.includes('"duplicate":true'))).toHaveLength(2);
    expect((await stored()).filter((id) => id === 'evt_dup')).toHaveLength(1);
  });

  it('refuses forged, stale, unsigned, oversized, malformed and wrongly typed requests, stores nothing and logs why', async () => {
    const before = await stored();
    const nowSec = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<{ status: number; body: string }>, number, string][] = [
      ['forged', postWebhook(t.url, body('evt_forged'), { secret: 'whsec_attacker' }), 400, 'bad_signature'],
      ['stale replay', postWebhook(t.url, body('evt_stale'), { secret: TEST_SECRET, timestamp: nowSec - 301 }), 400, 'stale_timestamp'],
      ['unsigned', postWebhook(t.url, body('evt_unsigned'), { signature: null }), 400, 'missing_signature'],
      ['oversized', postWebhook(t.url, body('evt_big', 70 * 1024), { secret: TEST_SECRET }), 413, 'too_large'],
      ['malformed JSON', postWebhook(t.url, '{"id": "evt_bad", ', { secret: TEST_SECRET }), 400, 'malformed_json'],
      ['not an event', postWebhook(t.url, '{"hello":"world"}', { secret: TEST_SECRET }), 400, 'invalid_event'],
      ['text/plain', postWebhook(t.url, body('evt_text'), { secret: TEST_SECRET, contentType: 'text/plain' }), 415, 'content_type'],
      ['form', postWebhook(t.url, body('evt_form'), { secret: TEST_SECRET, contentType: 'application/x-www-form-urlencoded' }), 415, 'content_type'],
    ];
    for (const [name, p, status, reason] of cases) {
      const r = await p;
      expect({ name, status: r.status, body: r.body }).toEqual({ name, status, body: JSON.stringify({ error: reason }) });
      expect(logger.records.some((l) => l.event === 'relay.webhook.rejected' && l.data.reason === reason)).toBe(true);
    }
    expect(await stored()).toEqual(before);
    // A tampered copy of a genuine delivery is forged too.
    const genuine = body('evt_tamper');
    const header = signatureHeader(genuine, TEST_SECRET);
    expect((await postWebhook(t.url, genuine.replace('4200', '9900'), { signature: header })).status).toBe(400);
    expect(await stored()).toEqual(before);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/relay_webhooks_rejected_total\{reason="bad_signature"\} 2/);
    expect(metrics).toMatch(/relay_webhooks_rejected_total\{reason="too_large"\} 1/);
  });

  it('accepts a body right under the limit', async () => {
    expect((await postWebhook(t.url, body('evt_near_limit', 60 * 1024), { secret: TEST_SECRET })).status).toBe(200);
  });

  it('never logs secrets or signatures', () => {
    const text = JSON.stringify(logger.records);
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toContain('v1=');
  });
});
