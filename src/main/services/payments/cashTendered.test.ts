import { afterEach, describe, expect, it } from 'vitest';
import { maxTendered } from '../../../shared/contract/payments';
import { openPayShop } from '../../testing/paymentsTestKit';
import type { PayShop } from '../../testing/paymentsTestKit';

// A clerk types the cash handed over; a slip of the keyboard must not put absurd change in the drawer's books.
let shop: PayShop;
afterEach(async () => shop?.shutdown());

const written = (s: PayShop) => ({ payments: s.count('payments'), cash: s.count('cash_movements'), shifts: s.count('shifts') });

describe('cash handed over', () => {
  it('100000000 typed for a €50 payment is refused with a sentence on the field, and nothing is written but the refusal', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const before = written(shop);
    const refusals = shop.b.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'payment.cash.refused'").pluck();
    const err = await shop.fail('payments.cash', { bookingId: b.id, amount: 5_000, tendered: 100_000_000 });
    expect(err.code).toBe('invalid_input');
    expect(err.fields?.tendered).toBe('€1,000,000.00 handed over for €50.00 would mean €999,950.00 change; the drawer gives at most €500.00. Count the cash again and enter what was handed over.');
    expect(written(shop)).toEqual(before);
    expect(refusals.get()).toBe(1);
    expect((await shop.ok('payments.forBooking', { bookingId: b.id })).balanceDue).toEqual(b.total);
  });

  it('change up to €500 is taken; a cent more is refused', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    expect((await shop.fail('payments.cash', { bookingId: b.id, amount: 5_000, tendered: 5_000 + 50_001 })).fields?.tendered).toMatch(/gives at most €500\.00/);
    const ok = await shop.ok('payments.cash', { bookingId: b.id, amount: 5_000, tendered: 5_000 + 50_000 });
    expect(ok.change).toEqual({ amount: 50_000, currency: 'EUR' });
    // The cap follows the amount taken: the whole balance plus €500.
    const rest = b.total.amount - 5_000;
    expect((await shop.fail('payments.cash', { bookingId: b.id, tendered: rest + 50_001 })).fields?.tendered).toMatch(/would mean €500\.01 change/);
    expect((await shop.ok('payments.cash', { bookingId: b.id, tendered: rest + 50_000 })).balanceDue.amount).toBe(0);
  });

  it('the contract refuses negative and fractional amounts handed over, naming the field', async () => {
    shop = await openPayShop();
    const b = await shop.booking();
    const before = written(shop);
    const negative = await shop.fail('payments.cash', { bookingId: b.id, tendered: -1 });
    expect(negative.fields?.tendered).toBe('The cash handed over cannot be negative');
    const fraction = await shop.fail('payments.cash', { bookingId: b.id, tendered: 12.5 });
    expect(fraction.fields?.tendered).toBe('Enter the cash handed over in whole cents');
    expect(written(shop)).toEqual(before);
  });

  it('the cap is about €500 of value in every currency, in its own minor units', () => {
    expect(maxTendered(5_000, 'EUR')).toBe(55_000);
    expect(maxTendered(5_000, 'JPY')).toBe(105_000);
    expect(maxTendered(5_000, 'KWD')).toBe(205_000);
    expect(maxTendered(0, 'USD')).toBe(50_000);
  });
});
