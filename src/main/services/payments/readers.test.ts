import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

let shop: PayShop;
afterEach(async () => shop?.shutdown());

describe('readers', () => {
  it('pairs one simulated reader in demo, shows it busy while a card is awaited, and keeps the choice', async () => {
    shop = await openPayShop();
    const first = await shop.ok('readers.list', {});
    expect(first.driver).toBe('simulated');
    expect(first.readers).toHaveLength(1);
    expect(first.readers[0]).toMatchObject({ status: 'online', selected: true, action: null });
    // Listing again pairs nothing new.
    expect((await shop.ok('readers.list', {})).readers).toHaveLength(1);
    const b = await shop.booking();
    const p = await shop.ok('payments.startCard', { bookingId: b.id });
    const busy = (await shop.ok('readers.list', {})).readers[0];
    expect(busy).toMatchObject({ status: 'busy', action: { type: 'process_payment_intent', status: 'in_progress', paymentId: p.id } });
    const view = await shop.ok('payments.forBooking', { bookingId: b.id });
    expect(view.active?.id).toBe(p.id);
    expect(view.reader?.status).toBe('busy');
    await shop.ok('payments.cancel', { paymentId: p.id });
    const picked = await shop.ok('readers.select', { readerId: first.readers[0]?.id as string });
    expect(picked.selected).toBe(true);
    const unknown = await shop.fail('readers.select', { readerId: 'tmr_nope' });
    expect(unknown.message).toMatch(/not paired/);
  });

  it('gives terminal-js a single-use connection token, never the secret key', async () => {
    shop = await openPayShop();
    await shop.reader();
    const a = await shop.ok('readers.connectionToken', {});
    const b = await shop.ok('readers.connectionToken', {});
    expect(a.secret).toMatch(/^pst_test_/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.secret).not.toContain(shop.emulator.apiKey);
  });

  it('the demo panel refuses to present a card when the reader is not waiting', async () => {
    shop = await openPayShop();
    const readerId = await shop.reader();
    const e = await shop.fail('readers.simulate', { readerId, outcome: 'approve' });
    expect(e.message).toMatch(/not waiting for a card/);
  });
});
