import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';
import { createStripeGateway, idempotencyKey } from '../../stripe/stripeGateway';
import type { StripeGateway, StripeReaderAction } from '../../stripe/stripeGateway';
import { cancelReaderActionIfOurs, createSerialLocks, processOnReader, watchReader } from './readerSteps';

// The reader steps the card checkout and the deposit hold share, against the emulator's simulated reader.
let shop: PayShop;
let g: StripeGateway;
let readerId: string;
beforeEach(async () => {
  shop = await openPayShop();
  g = createStripeGateway({ apiKey: shop.emulator.apiKey, ...shop.emulator.stripeOptions }, { backoff: { initialMs: 5, maxMs: 20, factor: 2 } });
  readerId = await shop.reader();
});
afterEach(async () => shop.shutdown());

let n = 0;
const key = (step: string) => idempotencyKey(`row${++n}`, step);
const intent = () => g.paymentIntents.create({ amount: 1500, currency: 'eur', allowed_payment_method_types: ['card_present'] }, { idempotencyKey: key('create') });
const action = async () => (await g.readers.retrieve(readerId)).action;

describe('reader steps', () => {
  it('processOnReader: a refused call is an error only when the reader is not on this PaymentIntent', async () => {
    const ours = await intent();
    const other = await intent();
    await processOnReader(g, readerId, ours.id, key('process'));
    // Asked again (say the first answer was lost): the reader is busy, but busy with ours, so it went fine.
    await expect(processOnReader(g, readerId, ours.id, key('process'))).resolves.toBeUndefined();
    // Another PaymentIntent meanwhile: refused with Stripe's reason, the reader stays on ours.
    await expect(processOnReader(g, readerId, other.id, key('process'))).rejects.toMatchObject({ message: expect.stringMatching(/busy/) });
    expect((await action())?.process_payment_intent?.payment_intent).toBe(ours.id);
  });

  it('cancelReaderActionIfOurs stops the reader only while it waits on this PaymentIntent', async () => {
    const ours = await intent();
    const other = await intent();
    await processOnReader(g, readerId, ours.id, key('process'));
    expect(await cancelReaderActionIfOurs(g, readerId, other.id, key('cancel'))).toBe(false);
    expect((await action())?.status).toBe('in_progress');
    expect(await cancelReaderActionIfOurs(g, null, ours.id, key('cancel'))).toBe(false);
    expect(await cancelReaderActionIfOurs(g, readerId, ours.id, key('cancel'))).toBe(true);
    expect((await action())?.status).not.toBe('in_progress');
    expect(await cancelReaderActionIfOurs(g, readerId, ours.id, key('cancel'))).toBe(false);
  });

  it('watchReader hands over the finished action once, and times out into onTimeout when no card comes', async () => {
    const pi = await intent();
    await processOnReader(g, readerId, pi.id, key('process'));
    const seen: Array<StripeReaderAction | null> = [];
    const ended = new Promise<void>((resolve) =>
      watchReader({ gateway: () => g, readerId, pi: pi.id, timeoutMs: 20_000, pollMs: 10, onFinished: async (a) => void seen.push(a), onTimeout: async () => void seen.push(null), onEnd: resolve }),
    );
    await shop.tap('4000000000000002');
    await ended;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ status: 'failed', process_payment_intent: { payment_intent: pi.id } });

    const pi2 = await intent();
    await processOnReader(g, readerId, pi2.id, key('process'));
    let timeouts = 0;
    let finished = 0;
    await new Promise<void>((resolve) =>
      watchReader({ gateway: () => g, readerId, pi: pi2.id, timeoutMs: 50, pollMs: 10, onFinished: async () => void finished++, onTimeout: async () => void timeouts++, onEnd: resolve }),
    );
    expect({ timeouts, finished }).toEqual({ timeouts: 1, finished: 0 });
    expect((await action())?.status).toBe('in_progress'); // onTimeout, not the watcher, decides what happens to the reader
  });

  it('watchReader keeps looking while recording fails (Stripe unreachable) and stops when told', async () => {
    const pi = await intent();
    await processOnReader(g, readerId, pi.id, key('process'));
    let calls = 0;
    let stopped = false;
    const ended = new Promise<void>((resolve) => {
      const w = watchReader({
        gateway: () => g, readerId, pi: pi.id, timeoutMs: 20_000, pollMs: 5,
        onFinished: async () => {
          calls++;
          if (calls === 3) w.stop();
          throw new Error('Stripe unreachable');
        },
        onTimeout: async () => undefined,
        onEnd: () => {
          stopped = true;
          resolve();
        },
      });
    });
    await shop.tap();
    await ended;
    expect({ calls, stopped }).toEqual({ calls: 3, stopped: true });
  });

  it('createSerialLocks runs one operation at a time per key, and a failure does not block the next', async () => {
    const locks = createSerialLocks();
    const order: string[] = [];
    const slow = locks.run('a', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('a1');
      throw new Error('boom');
    });
    const next = locks.run('a', async () => void order.push('a2'));
    const other = locks.run('b', async () => void order.push('b1'));
    expect(locks.has('a')).toBe(true);
    await expect(slow).rejects.toThrow('boom');
    await next;
    await other;
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });
});
