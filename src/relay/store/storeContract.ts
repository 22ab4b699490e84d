import { beforeEach, afterEach, expect, it } from 'vitest';
import { routeHints } from '../route';
import { makeEvent } from '../testing/webhooks';
import { hashToken } from '../tokens';
import type { IncomingEvent, RelayStore } from './types';

export const incoming = (e: Record<string, unknown>, source: IncomingEvent['source'] = 'webhook'): IncomingEvent => ({
  id: e.id as string,
  type: e.type as string,
  created: e.created as number,
  payload: JSON.stringify(e),
  signature: null,
  hints: routeHints(e),
  source,
});

/** The behaviour both stores must share; each store's test file runs it against a fresh store. */
export function storeContract(open: () => Promise<RelayStore>): void {
  let store: RelayStore;
  const T0 = 1_800_000_000_000;
  const install = async (id: string, location: string | null = null) =>
    store.addInstall({ id, name: `till ${id}`, locationId: location, tokenHash: hashToken(`tok_${id}`), now: T0 });

  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores each event once, whether repeated in a batch or in a later one, with gapless per-install seqs', async () => {
    await install('A');
    await install('B');
    const e1 = incoming(makeEvent({ id: 'evt_1', installId: 'A' }));
    const e2 = incoming(makeEvent({ id: 'evt_2', installId: 'B' }));
    const e3 = incoming(makeEvent({ id: 'evt_3', installId: 'A' }));
    const first = await store.ingest([e1, e2, e1, e3], T0);
    expect(first.results.map((r) => r.duplicate)).toEqual([false, false, true, false]);
    expect(first.deliveries.map((d) => [d.installId, d.seq, d.eventId])).toEqual([
      ['A', 1, 'evt_1'],
      ['B', 1, 'evt_2'],
      ['A', 2, 'evt_3'],
    ]);
    const again = await store.ingest([e3, incoming(makeEvent({ id: 'evt_4', installId: 'A' }))], T0);
    expect(again.results.map((r) => r.duplicate)).toEqual([true, false]);
    expect(again.deliveries).toEqual([{ installId: 'A', seq: 3, eventId: 'evt_4', unacked: 3 }]);
    const rows = await store.readAfter('A', 1, 10);
    expect(rows.map((r) => [r.seq, r.eventId])).toEqual([
      [2, 'evt_3'],
      [3, 'evt_4'],
    ]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ id: 'evt_3', type: 'payment_intent.succeeded' });
    expect(await store.knownEventIds(['evt_1', 'evt_9', 'evt_4'])).toEqual(new Set(['evt_1', 'evt_4']));
  });

  it('keeps the exact text of every body in a batch: multi-byte characters, escapes, pretty-printing, each body in its own row', async () => {
    await install('A');
    await install('B');
    const bodies = [
      { id: 'evt_x1', note: 'Café — 5 € · 日本語 · 🚗', path: 'C:\\tills\\"north"', tab: 'a\tb' },
      { id: 'evt_x2', note: '' },
      { id: 'evt_x3', note: 'ü'.repeat(3000) + '\\u0000 stays escaped' },
    ];
    const events = bodies.map((b, i) => {
      const e = makeEvent({ id: b.id, installId: i === 1 ? 'B' : 'A' });
      (e.data as { object: Record<string, unknown> }).object.description = b;
      return { ...incoming(e), payload: JSON.stringify(e, null, i === 1 ? 0 : 2) };
    });
    await store.ingest(events, T0);
    const a = await store.readAfter('A', 0, 10);
    const b = await store.readAfter('B', 0, 10);
    expect(a.map((r) => r.payload)).toEqual([events[0]!.payload, events[2]!.payload]);
    expect(b.map((r) => r.payload)).toEqual([events[1]!.payload]);
  });

  it('learns PaymentIntent owners, fans out by location, queues the unknown, and releases a queued refund when its payment arrives', async () => {
    await install('A');
    await install('B', 'airport');
    await install('C', 'airport');
    const early = await store.ingest([incoming(makeEvent({ id: 'evt_refund', type: 'charge.refunded', paymentIntent: 'pi_9' }))], T0);
    expect(early.results[0]!.route).toBe('unassigned');
    expect((await store.listUnassigned(10)).map((u) => [u.eventId, u.paymentIntent])).toEqual([['evt_refund', 'pi_9']]);

    const out = await store.ingest(
      [
        incoming(makeEvent({ id: 'evt_pay', installId: 'A', paymentIntent: 'pi_9' })),
        incoming(makeEvent({ id: 'evt_charge', type: 'charge.succeeded', paymentIntent: 'pi_9' })),
        incoming(makeEvent({ id: 'evt_loc', type: 'charge.dispute.created', locationId: 'airport' })),
        incoming(makeEvent({ id: 'evt_lost', type: 'customer.created' })),
      ],
      T0 + 1,
    );
    expect(out.results.map((r) => r.route)).toEqual(['install', 'payment_intent', 'location', 'unassigned']);
    expect(out.deliveries.map((d) => `${d.installId}:${d.seq}:${d.eventId}`)).toEqual([
      'A:1:evt_refund',
      'A:2:evt_pay',
      'A:3:evt_charge',
      'B:1:evt_loc',
      'C:1:evt_loc',
    ]);
    expect((await store.listUnassigned(10)).map((u) => u.eventId)).toEqual(['evt_lost']);
    expect(await store.countUnassigned()).toBe(1);
  });

  it('releases queued events when a batch of only till-named events teaches their PaymentIntent (one round trip on PostgreSQL), oldest first, just before the teacher', async () => {
    await install('A');
    await install('B');
    await store.ingest([incoming(makeEvent({ id: 'evt_r1', type: 'charge.refunded', paymentIntent: 'pi_7' }))], T0);
    await store.ingest([incoming(makeEvent({ id: 'evt_r2', type: 'charge.refunded', paymentIntent: 'pi_7' }))], T0 + 1);
    const out = await store.ingest(
      [
        incoming(makeEvent({ id: 'evt_b1', installId: 'B' })),
        incoming(makeEvent({ id: 'evt_a1', installId: 'A' })),
        incoming(makeEvent({ id: 'evt_pay7', installId: 'A', paymentIntent: 'pi_7' })),
      ],
      T0 + 2,
    );
    expect(out.results.map((r) => r.route)).toEqual(['install', 'install', 'install']);
    expect(out.deliveries.map((d) => `${d.installId}:${d.seq}:${d.eventId}`)).toEqual(['B:1:evt_b1', 'A:1:evt_a1', 'A:2:evt_r1', 'A:3:evt_r2', 'A:4:evt_pay7']);
    expect(await store.countUnassigned()).toBe(0);
    expect((await store.readAfter('A', 0, 10)).map((r) => r.eventId)).toEqual(['evt_a1', 'evt_r1', 'evt_r2', 'evt_pay7']);
    // The route is learned: a later refund without install_id goes to A.
    const later = await store.ingest([incoming(makeEvent({ id: 'evt_r3', type: 'charge.refunded', paymentIntent: 'pi_7' }))], T0 + 3);
    expect(later.deliveries.map((d) => `${d.installId}:${d.seq}:${d.eventId}`)).toEqual(['A:5:evt_r3']);
  });

  it('lets an admin assign a queued event, with the other events of its PaymentIntent', async () => {
    await install('A');
    await install('B');
    await store.ingest(
      [
        incoming(makeEvent({ id: 'evt_q1', type: 'charge.succeeded', paymentIntent: 'pi_q' })),
        incoming(makeEvent({ id: 'evt_q2', type: 'charge.refunded', paymentIntent: 'pi_q' })),
        incoming(makeEvent({ id: 'evt_q3', type: 'customer.created' })),
      ],
      T0,
    );
    expect(await store.assign('evt_q1', 'NOPE', T0)).toEqual({ ok: false, reason: 'unknown_install' });
    expect(await store.assign('evt_none', 'A', T0)).toEqual({ ok: false, reason: 'not_unassigned' });
    const r = await store.assign('evt_q1', 'B', T0);
    expect(r.ok && r.deliveries.map((d) => `${d.seq}:${d.eventId}`)).toEqual(['1:evt_q1', '2:evt_q2']);
    expect((await store.listUnassigned(10)).map((u) => u.eventId)).toEqual(['evt_q3']);
    // Later events of that PaymentIntent now go straight to B.
    const later = await store.ingest([incoming(makeEvent({ id: 'evt_q4', type: 'charge.dispute.created', paymentIntent: 'pi_q' }))], T0);
    expect(later.deliveries.map((d) => d.installId)).toEqual(['B']);
  });

  it('acks only forward and never past the last seq', async () => {
    await install('A');
    await store.ingest([1, 2, 3].map((i) => incoming(makeEvent({ id: `evt_a${i}`, installId: 'A' }))), T0);
    expect(await store.ack('A', 2)).toBe(2);
    expect(await store.ack('A', 1)).toBe(2);
    expect(await store.ack('A', 99)).toBe(3);
    const [stats] = await store.listInstalls();
    expect(stats).toMatchObject({ id: 'A', lastSeq: 3, ackedSeq: 3, oldestUnackedAt: null });
  });

  it('revokes: the token still resolves (to say so) but the install gets no new events', async () => {
    await install('A');
    expect(await store.revokeInstall('A', T0)).toBe(true);
    expect(await store.revokeInstall('A', T0)).toBe(false);
    expect((await store.installForTokenHash(hashToken('tok_A')))?.revokedAt).toBe(T0);
    const out = await store.ingest([incoming(makeEvent({ id: 'evt_r', installId: 'A' }))], T0);
    expect(out.results[0]!.route).toBe('unassigned');
  });

  it('prunes only deliveries that are acknowledged AND older than the cutoff, then unreferenced old events', async () => {
    await install('A');
    await install('B');
    const day = 86_400_000;
    await store.ingest([1, 2, 3].map((i) => incoming(makeEvent({ id: `evt_old${i}`, installId: 'A' }))), T0);
    await store.ingest([incoming(makeEvent({ id: 'evt_oldB', installId: 'B' }))], T0);
    await store.ingest([incoming(makeEvent({ id: 'evt_oldQ', type: 'customer.created' }))], T0);
    await store.ingest([incoming(makeEvent({ id: 'evt_new', installId: 'A' }))], T0 + 40 * day);
    await store.ack('A', 4); // everything of A acknowledged; B's old event never was
    const cutoff = T0 + 40 * day - 35 * day;
    expect(await store.prune(cutoff, 1000)).toEqual({ deliveries: 3, events: 3 });
    expect((await store.readAfter('A', 0, 10)).map((r) => r.eventId)).toEqual(['evt_new']);
    expect((await store.readAfter('B', 0, 10)).map((r) => r.eventId)).toEqual(['evt_oldB']);
    expect(await store.knownEventIds(['evt_old1', 'evt_oldB', 'evt_oldQ', 'evt_new'])).toEqual(new Set(['evt_oldB', 'evt_oldQ', 'evt_new']));
    expect(await store.prune(cutoff, 1000)).toEqual({ deliveries: 0, events: 0 });
  });

  it('keeps meta values and admin tokens', async () => {
    expect(await store.getMeta('k')).toBeUndefined();
    await store.setMeta('k', 'v1');
    await store.setMeta('k', 'v2');
    expect(await store.getMeta('k')).toBe('v2');
    await store.addAdmin({ id: 'ADM', name: 'boss', tokenHash: hashToken('kda_x'), now: T0 });
    expect(await store.adminForTokenHash(hashToken('kda_x'))).toEqual({ id: 'ADM', name: 'boss' });
    expect(await store.adminForTokenHash(hashToken('kda_y'))).toBeUndefined();
  });
}
