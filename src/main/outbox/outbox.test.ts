import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { MIGRATIONS } from '../db/migrations/index';
import { createStripeGateway } from '../stripe/stripeGateway';
import { classifyStripeError } from './classify';
import { createOutbox } from './outbox';
import type { OutboxKind } from './outbox';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** The queue is generic: a kind that is not a refund (here: create a customer) goes through it the same way. */
function customerKind(done: string[], failed: string[]): OutboxKind {
  return {
    kind: 'test.customer.create',
    send: (item, gw) => gw.paymentIntents.create({ amount: (item.payload as { amount: number }).amount, currency: 'eur' }, { idempotencyKey: item.idempotencyKey }),
    onDone: (item) => done.push(item.entityId),
    onFailed: (item, a) => failed.push(`${item.entityId}: ${a.code}`),
  };
}

describe('outbox', () => {
  it('sends any kind of queued call once, stops a permanent error on the attention list, and cancels what is not sent', async () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS);
    const done: string[] = [];
    const failed: string[] = [];
    const gw = createStripeGateway({ apiKey: emu.apiKey, ...emu.stripeOptions }, { retries: 0 });
    const ob = createOutbox({ db, installId: 'I', now: () => new Date(), kinds: [customerKind(done, failed)], client: () => gw, perSecond: 1000, backoff: { initialMs: 10, maxMs: 50, factor: 2 } });
    db.transaction(() => {
      ob.enqueue({ kind: 'test.customer.create', entityType: 'thing', entityId: 'A', payload: { amount: 500 }, idempotencyKey: 'kd_A' });
      ob.enqueue({ kind: 'test.customer.create', entityType: 'thing', entityId: 'B', payload: { amount: -1 }, idempotencyKey: 'kd_B' });
      ob.enqueue({ kind: 'test.customer.create', entityType: 'thing', entityId: 'C', payload: { amount: 700 }, idempotencyKey: 'kd_C' });
    })();
    expect(ob.cancel('thing', 'C')).toBe('canceled');
    emu.setFaults({ kind: 'error500', count: 2 });
    await ob.job.start(() => {});
    expect(await ob.drained(10_000)).toBe(true);
    await ob.job.stop();
    expect(done).toEqual(['A']);
    expect(failed).toEqual(['B: amount_too_small']);
    expect(ob.attention().map((r) => [r.entity_id, r.attention_action])).toEqual([['B', expect.stringMatching(/retry or cancel/)]]);
    expect(ob.summary()).toMatchObject({ waiting: 0, attention: 1, online: true });
    expect(ob.cancel('thing', 'A')).toBe('sent');
    // Each 500 was retried: two answers plus the two injected failures.
    expect((ob.item('thing', 'A')?.attempts ?? 0) + (ob.item('thing', 'B')?.attempts ?? 0)).toBe(4);
  });

  it('classifies errors itself: network, 429 and 5xx retry; Stripe-Should-Retry false and 4xx stop', () => {
    expect(classifyStripeError({ type: 'StripeConnectionError' })).toMatchObject({ kind: 'retry', offline: true });
    expect(classifyStripeError({ statusCode: 429, headers: { 'stripe-should-retry': 'false' } })).toMatchObject({ kind: 'retry', rateLimited: true });
    expect(classifyStripeError({ statusCode: 500 })).toMatchObject({ kind: 'retry' });
    expect(classifyStripeError({ statusCode: 503, headers: { 'stripe-should-retry': 'false' } })).toMatchObject({ kind: 'permanent' });
    expect(classifyStripeError({ statusCode: 409, code: 'lock_timeout' })).toMatchObject({ kind: 'retry' });
    expect(classifyStripeError({ statusCode: 400, code: 'amount_too_large' })).toMatchObject({ kind: 'permanent', action: expect.stringMatching(/already refunded elsewhere/) });
    expect(classifyStripeError({ statusCode: 400, headers: { 'stripe-should-retry': 'true' } })).toMatchObject({ kind: 'retry' });
    expect(classifyStripeError({ statusCode: 401 })).toMatchObject({ kind: 'permanent', action: expect.stringMatching(/Stripe key/) });
  });
});
