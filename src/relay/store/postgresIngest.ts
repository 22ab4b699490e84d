import type pg from 'pg';
import { planBatch, type RouteLookup } from '../route';
import type { IncomingEvent, IngestOutcome, IngestResult, StoredDelivery } from './types';

/** Wakes streams on every instance. The rows stay the truth: a lost notification only delays a stream until its next poll. */
export const CHANNEL = 'keydesk_relay';

export type Notice = { k: 'd'; i: string[] } | { k: 'r'; i: string } | { k: 'i' } | { k: 'u' };

export function noticeText(notice: Notice): string {
  const text = JSON.stringify(notice);
  // NOTIFY payloads stop at 8,000 bytes: past that, tell every instance to look at everything.
  return text.length > 7000 ? '{"k":"u"}' : text;
}

export type ActiveInstalls = { active: Set<string>; byLocation: Map<string, string[]> };

/**
 * A batch in two round trips and no transaction block: one read (routes and waiting events of
 * the batch's PaymentIntents), then ONE statement that writes everything. The statement is
 * atomic by itself; seqs come from `UPDATE installs … RETURNING`, whose row locks (taken in id
 * order) serialise only batches for the same install, so an install's seqs still become visible
 * in order while batches for different installs commit side by side on every instance.
 */
export function createPostgresIngest(pool: pg.Pool, activeInstalls: () => Promise<ActiveInstalls>): (events: readonly IncomingEvent[], now: number) => Promise<IngestOutcome> {
  return async (events, now) => {
    const unique = new Map<string, IncomingEvent>();
    for (const ev of events) if (!unique.has(ev.id)) unique.set(ev.id, ev);
    const list = [...unique.values()];
    const installs = await activeInstalls();
    const pis = [...new Set(list.map((e) => e.hints.paymentIntent).filter((p): p is string => !!p))];
    const routes = new Map<string, string>();
    const waiting = new Map<string, string[]>();
    if (pis.length > 0) {
      const r = await pool.query<{ k: string; pi: string; v: string }>({
        // Named: parsed and planned once per connection, not per batch.
        name: 'relay_ingest_lookup_v1',
        text: `SELECT 'r' AS k, payment_intent AS pi, install_id AS v, 0::bigint AS o, '' AS e FROM payment_intent_routes WHERE payment_intent = ANY($1)
         UNION ALL
         SELECT 'u', payment_intent, event_id, received_at, event_id FROM unassigned WHERE payment_intent = ANY($1)
         ORDER BY 4, 5`,
        values: [pis],
      });
      for (const row of r.rows) {
        if (row.k === 'r') routes.set(row.pi, row.v);
        else waiting.set(row.pi, [...(waiting.get(row.pi) ?? []), row.v]);
      }
    }
    const lookup: RouteLookup = {
      isActiveInstall: (id) => installs.active.has(id),
      installForPaymentIntent: (pi) => routes.get(pi),
      installsAtLocation: (loc) => installs.byLocation.get(loc) ?? [],
      unassignedForPaymentIntent: (pi) => waiting.get(pi) ?? [],
    };
    // Planned as if every event were new; the statement keeps only what it really inserted.
    const plan = planBatch(
      list.map((e) => ({ id: e.id, hints: e.hints })),
      lookup,
    );
    const learned = new Map(plan.learned.map((l) => [l.paymentIntent, l.installId]));
    const targets = [...new Set(plan.deliveries.map((d) => d.installId))].sort();
    const notice = targets.length > 0 ? noticeText({ k: 'd', i: targets }) : null;
    const r = await pool.query<{ k: string; id: string; install_id: string | null; seq: number | null; acked: number | null; ord: number | null }>({
      name: 'relay_ingest_write_v1',
      text: `WITH ins AS (
         INSERT INTO events (id, type, created, received_at, source, payment_intent, location_id, payload, signature)
         SELECT u.id, u.type, u.created, $9::bigint, u.source, u.pi, u.loc, u.payload, u.sig
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS u(id, type, created, source, pi, loc, payload, sig)
         ORDER BY u.id
         ON CONFLICT (id) DO NOTHING RETURNING id, no
       ),
       learn AS (
         INSERT INTO payment_intent_routes (payment_intent, install_id, learned_at)
         SELECT u.p, u.i, $9::bigint FROM unnest($10::text[], $11::text[]) AS u(p, i)
         ON CONFLICT (payment_intent) DO UPDATE SET install_id = excluded.install_id, learned_at = excluded.learned_at
         RETURNING 1
       ),
       claimed AS (DELETE FROM unassigned WHERE event_id = ANY($12::text[]) RETURNING event_id),
       queued AS (
         INSERT INTO unassigned (event_id, payment_intent, location_id, received_at)
         SELECT u.e, u.p, u.l, $9 FROM unnest($13::text[], $14::text[], $15::text[]) AS u(e, p, l) JOIN ins ON ins.id = u.e
         ON CONFLICT DO NOTHING RETURNING 1
       ),
       planned AS (SELECT * FROM unnest($16::text[], $17::text[]) WITH ORDINALITY AS p(event_id, install_id, ord)),
       ok AS (
         SELECT p.install_id, p.ord, p.event_id, COALESCE(ins.no, ce.no) AS no
         FROM planned p
         LEFT JOIN ins ON ins.id = p.event_id
         LEFT JOIN claimed c ON c.event_id = p.event_id
         LEFT JOIN events ce ON ce.id = c.event_id
         WHERE ins.no IS NOT NULL OR c.event_id IS NOT NULL
       ),
       counts AS (SELECT install_id, count(*)::bigint AS n FROM ok GROUP BY install_id),
       locked AS (SELECT i.id FROM installs i WHERE i.id IN (SELECT install_id FROM counts) ORDER BY i.id FOR UPDATE),
       bump AS (
         UPDATE installs i SET last_seq = i.last_seq + c.n FROM counts c, locked l
         WHERE i.id = c.install_id AND l.id = i.id
         RETURNING i.id, i.last_seq, i.acked_seq, c.n
       ),
       numbered AS (
         SELECT ok.install_id, ok.event_id, ok.no, ok.ord, b.acked_seq,
                b.last_seq - b.n + row_number() OVER (PARTITION BY ok.install_id ORDER BY ok.ord) AS seq
         FROM ok JOIN bump b ON b.id = ok.install_id
       ),
       dl AS (INSERT INTO deliveries (install_id, seq, event_no, created_at) SELECT install_id, seq, no, $9 FROM numbered RETURNING 1)
       SELECT 'e' AS k, id, NULL AS install_id, NULL::bigint AS seq, NULL::bigint AS acked, NULL::bigint AS ord FROM ins
       UNION ALL SELECT 'd', event_id, install_id, seq, acked_seq, ord FROM numbered
       UNION ALL SELECT 'n', CASE WHEN $18::text IS NOT NULL AND EXISTS (SELECT 1 FROM numbered) THEN pg_notify('${CHANNEL}', $18)::text END, NULL, NULL, NULL, NULL
       UNION ALL SELECT 'w', ((SELECT count(*) FROM learn) + (SELECT count(*) FROM queued) + (SELECT count(*) FROM dl))::text, NULL, NULL, NULL, NULL`,
      values: [
        list.map((e) => e.id),
        list.map((e) => e.type),
        list.map((e) => e.created),
        list.map((e) => e.source),
        list.map((e) => e.hints.paymentIntent),
        list.map((e) => e.hints.locationId),
        list.map((e) => e.payload),
        list.map((e) => e.signature),
        now,
        [...learned.keys()],
        [...learned.values()],
        plan.claimed,
        plan.unassigned.map((u) => u.eventId),
        plan.unassigned.map((u) => u.paymentIntent),
        plan.unassigned.map((u) => u.locationId),
        plan.deliveries.map((d) => d.eventId),
        plan.deliveries.map((d) => d.installId),
        notice,
      ],
    });
    const freshIds = new Set<string>();
    const numbered: { d: StoredDelivery; ord: number }[] = [];
    for (const row of r.rows) {
      if (row.k === 'e') freshIds.add(row.id);
      else if (row.k === 'd') numbered.push({ d: { installId: row.install_id!, eventId: row.id, seq: row.seq!, unacked: row.seq! - row.acked! }, ord: Number(row.ord) });
    }
    // In plan order, as the SQLite store gives them.
    const deliveries = numbered.sort((a, b) => a.ord - b.ord).map((x) => x.d);
    const results: IngestResult[] = [];
    for (const ev of events) {
      const isFresh = freshIds.delete(ev.id); // delete: a second copy in the batch is a duplicate
      results.push({ eventId: ev.id, duplicate: !isFresh, route: isFresh ? (plan.routes.get(ev.id) ?? null) : null });
    }
    return { results, deliveries };
  };
}
