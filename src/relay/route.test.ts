import { describe, expect, it } from 'vitest';
import { planBatch, routeHints, type RouteLookup } from './route';

const ev = (object: Record<string, unknown>) => ({ id: 'evt', type: 't', data: { object } });

describe('routeHints', () => {
  it('reads install, location and the PaymentIntent from each object kind', () => {
    expect(routeHints(ev({ object: 'payment_intent', id: 'pi_1', metadata: { install_id: 'I1', location_id: 'L1' } }))).toEqual({
      installId: 'I1',
      paymentIntent: 'pi_1',
      locationId: 'L1',
    });
    expect(routeHints(ev({ object: 'charge', id: 'ch_1', payment_intent: 'pi_2', metadata: {} })).paymentIntent).toBe('pi_2');
    expect(routeHints(ev({ object: 'refund', id: 're_1', payment_intent: { id: 'pi_3' } })).paymentIntent).toBe('pi_3');
    expect(routeHints(ev({ object: 'terminal.reader', id: 'tmr_1', action: { process_payment_intent: { payment_intent: 'pi_4' } } })).paymentIntent).toBe('pi_4');
  });

  it('survives events without an object or with odd metadata', () => {
    expect(routeHints({})).toEqual({ installId: null, paymentIntent: null, locationId: null });
    expect(routeHints(ev({ metadata: { install_id: 42 } })).installId).toBeNull();
  });
});

function lookup(over: Partial<RouteLookup> & { active?: string[]; routes?: Record<string, string>; waiting?: Record<string, string[]> } = {}): RouteLookup {
  const active = new Set(over.active ?? ['A', 'B', 'C']);
  return {
    isActiveInstall: (id) => active.has(id),
    installForPaymentIntent: (pi) => over.routes?.[pi],
    installsAtLocation: (loc) => (loc === 'L1' ? ['B', 'C'] : []),
    unassignedForPaymentIntent: (pi) => over.waiting?.[pi] ?? [],
  };
}
const h = (installId: string | null, paymentIntent: string | null = null, locationId: string | null = null) => ({ installId, paymentIntent, locationId });

describe('planBatch', () => {
  it('routes by install, then learned PaymentIntent, then location, else unassigned', () => {
    const plan = planBatch(
      [
        { id: 'e1', hints: h('A', 'pi_1') },
        { id: 'e2', hints: h(null, 'pi_1') },
        { id: 'e3', hints: h(null, 'pi_9', 'L1') },
        { id: 'e4', hints: h(null, 'pi_8') },
        { id: 'e5', hints: h('ZZ', null) },
      ],
      lookup({ routes: { pi_9: 'revoked' } }),
    );
    expect(plan.deliveries).toEqual([
      { installId: 'A', eventId: 'e1' },
      { installId: 'A', eventId: 'e2' },
      { installId: 'B', eventId: 'e3' },
      { installId: 'C', eventId: 'e3' },
    ]);
    expect(Object.fromEntries(plan.routes)).toEqual({ e1: 'install', e2: 'payment_intent', e3: 'location', e4: 'unassigned', e5: 'unassigned' });
    expect(plan.learned).toEqual([{ paymentIntent: 'pi_1', installId: 'A' }]);
    expect(plan.unassigned.map((u) => u.eventId)).toEqual(['e4', 'e5']);
  });

  it('a refund seen before its payment waits, then follows the payment to its till (reordered delivery)', () => {
    const plan = planBatch([{ id: 'pay', hints: h('B', 'pi_7') }], lookup({ waiting: { pi_7: ['refund_early'] } }));
    expect(plan.claimed).toEqual(['refund_early']);
    expect(plan.deliveries).toEqual([
      { installId: 'B', eventId: 'refund_early' },
      { installId: 'B', eventId: 'pay' },
    ]);
  });

  it('claims within one batch without touching the queue', () => {
    const plan = planBatch([{ id: 'r', hints: h(null, 'pi_5') }, { id: 'p', hints: h('C', 'pi_5') }], lookup());
    expect(plan.unassigned).toEqual([]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deliveries.map((d) => d.eventId)).toEqual(['r', 'p']);
  });
});
