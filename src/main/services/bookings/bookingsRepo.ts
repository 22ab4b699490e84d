import type { BookingStatus } from '../../../shared/contract/bookings';
import type { Db } from '../../db/connection';
import type { BlockWindow } from '../fleet/index';
import { gapSql, readyAfterSql } from '../fleet/index';
import { paidOnBookingSql } from '../payments/index';

export type BookingRow = {
  seq?: number;
  id: string;
  ref: string;
  status: BookingStatus;
  customer_id: string;
  vehicle_id: string;
  vehicle_class: string;
  pickup_location_id: string;
  return_location_id: string;
  pickup_at: string;
  return_at: string;
  extras_json: string;
  fees_json: string;
  notes: string;
  quote_id: string | null;
  total: number;
  currency: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  /** What a cancelled or no-show booking owes (its fee quote's total); null/absent: nothing. */
  end_fee?: number | null;
  /** 0 for a booking made by class while its car is a placeholder (given at pickup); absent means 1. */
  car_assigned?: number;
  closed_at: string | null;
  created_by: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type QuoteRow = {
  id: string;
  booking_id: string;
  reason: 'create' | 'modify' | 'extend' | 'check_in' | 'seed';
  rate_card_id: string;
  rate_card_version: number;
  currency: string;
  tax_mode: 'exclusive' | 'inclusive';
  tax_rate_bp: number;
  time_zone: string;
  /** NULL on quotes stored before 0160 (the card's tax name applied). */
  tax_name?: string | null;
  rental_days: number;
  late_minutes: number;
  subtotal: number;
  discount_total: number;
  tax_total: number;
  total: number;
  computed_at: string;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type LineRow = {
  id: string;
  quote_id: string;
  booking_id: string;
  line_no: number;
  kind: string;
  code: string;
  description: string;
  quantity: number;
  quantity_scale: number;
  unit_amount: number;
  amount: number;
  currency: string;
  taxable: number;
  counts_in_total: number;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type HandoverRow = {
  id: string;
  booking_id: string;
  kind: 'out' | 'in';
  at: string;
  odometer: number;
  fuel_eighths: number;
  damage_notes: string;
  damage_json: string;
  photos_json: string;
  /** Diagram marks [{x, y, note}]; absent on rows written before 0150 (read as '[]'). */
  marks_json?: string;
  signature_ref: string | null;
  staff_id: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

/** One row per booking with what lists show: joins and payment totals. */
export type SummaryRow = {
  seq: number;
  id: string;
  ref: string;
  status: BookingStatus;
  pickup_at: string;
  return_at: string;
  total: number;
  end_fee: number | null;
  currency: string;
  version: number;
  customer_id: string;
  first_name: string;
  last_name: string;
  phone: string;
  vehicle_id: string;
  plate: string;
  vehicle_class: string;
  make: string;
  model: string;
  pl_id: string;
  pl_code: string;
  pl_name: string;
  pl_tz: string;
  rl_id: string;
  rl_code: string;
  rl_name: string;
  rl_tz: string;
  paid: number;
  refunded: number;
};

export type ConflictRow = {
  id: string;
  ref: string;
  status: BookingStatus;
  pickup_at: string;
  return_at: string;
  customer_name: string;
  /** When the car is prepared again after this booking, at its return location. */
  ready_at: string;
  /** That return location's turnaround, minutes. */
  gap: number;
};

/**
 * A live booking of this vehicle overlapping the widened window, or a rental of it that is out
 * and overdue (it holds the vehicle until it comes back), or the rental it last came back from, while
 * it is being prepared (returned_at + turnaround; return_at of that row is the actual return).
 * Indexes: bookings_vehicle_return, bookings_out.
 */
// A booking blocks its car until it is back and prepared at its return location (that location's
// turnaround, the shop's when it has none): readyAfterSql. `startG` only bounds the index scan.
export const CONFLICTS_SQL = `SELECT b.id, b.ref, b.status, b.pickup_at, b.return_at, c.first_name || ' ' || c.last_name AS customer_name, ${readyAfterSql('b.return_at', 'b')} AS ready_at, ${gapSql('b')} AS gap
     FROM bookings b JOIN customers c ON c.id = b.customer_id
     WHERE b.vehicle_id = @vehicleId AND b.return_at > @startG AND b.pickup_at < @endG
       AND b.status IN ('reserved', 'checked_out') AND b.id IS NOT @excludeId AND ${readyAfterSql('b.return_at', 'b')} > @start
     UNION
     SELECT b.id, b.ref, b.status, b.pickup_at, b.return_at, c.first_name || ' ' || c.last_name AS customer_name, ${readyAfterSql('@now', 'b')} AS ready_at, ${gapSql('b')} AS gap
     FROM bookings b JOIN customers c ON c.id = b.customer_id
     WHERE b.vehicle_id = @vehicleId AND b.status = 'checked_out' AND @now > @startG AND b.pickup_at < @endG AND b.id IS NOT @excludeId
       AND ${readyAfterSql('@now', 'b')} > @start
     UNION
     SELECT b.id, b.ref, b.status, b.pickup_at, v.returned_at, c.first_name || ' ' || c.last_name AS customer_name, ${readyAfterSql('v.returned_at', 'b')} AS ready_at, ${gapSql('b')} AS gap
     FROM vehicles v
     JOIN bookings b ON b.vehicle_id = v.id AND b.status IN ('returned', 'closed')
     JOIN handovers h ON h.booking_id = b.id AND h.kind = 'in' AND h.at = v.returned_at
     JOIN customers c ON c.id = b.customer_id
     WHERE v.id = @vehicleId AND v.returned_at > @startG AND b.id IS NOT @excludeId AND ${readyAfterSql('v.returned_at', 'b')} > @start
     ORDER BY 4`;

const SUMMARY_SELECT = `
  SELECT b.seq, b.id, b.ref, b.status, b.pickup_at, b.return_at, b.total, b.end_fee, b.currency, b.version,
    c.id AS customer_id, c.first_name, c.last_name, c.phone,
    v.id AS vehicle_id, v.plate, b.vehicle_class, v.make, v.model,
    pl.id AS pl_id, pl.code AS pl_code, pl.name AS pl_name, pl.time_zone AS pl_tz,
    rl.id AS rl_id, rl.code AS rl_code, rl.name AS rl_name, rl.time_zone AS rl_tz,
    ${paidOnBookingSql('b.id')} AS paid,
    (SELECT coalesce(sum(r.amount), 0) FROM refunds r WHERE r.booking_id = b.id AND r.status NOT IN ('failed', 'canceled') AND r.method <> 'release') AS refunded
  FROM bookings b
  JOIN customers c ON c.id = b.customer_id
  JOIN vehicles v ON v.id = b.vehicle_id
  JOIN locations pl ON pl.id = b.pickup_location_id
  JOIN locations rl ON rl.id = b.return_location_id`;

const BOOKING_COLUMNS = [
  'id', 'ref', 'status', 'customer_id', 'vehicle_id', 'vehicle_class', 'pickup_location_id', 'return_location_id', 'pickup_at', 'return_at',
  'extras_json', 'fees_json', 'notes', 'quote_id', 'total', 'currency', 'cancelled_at', 'cancelled_by', 'cancel_reason', 'end_fee', 'car_assigned', 'closed_at',
  'created_by', 'install_id', 'version', 'created_at', 'updated_at',
] as const;

const QUOTE_COLUMNS = [
  'id', 'booking_id', 'reason', 'rate_card_id', 'rate_card_version', 'currency', 'tax_mode', 'tax_rate_bp', 'time_zone', 'rental_days',
  'late_minutes', 'tax_name', 'subtotal', 'discount_total', 'tax_total', 'total', 'computed_at', 'install_id', 'version', 'created_at', 'updated_at',
] as const;

const LINE_COLUMNS = [
  'id', 'quote_id', 'booking_id', 'line_no', 'kind', 'code', 'description', 'quantity', 'quantity_scale', 'unit_amount', 'amount',
  'currency', 'taxable', 'counts_in_total', 'install_id', 'version', 'created_at', 'updated_at',
] as const;

const HANDOVER_COLUMNS = [
  'id', 'booking_id', 'kind', 'at', 'odometer', 'fuel_eighths', 'damage_notes', 'damage_json', 'photos_json', 'marks_json', 'signature_ref', 'staff_id',
  'install_id', 'version', 'created_at', 'updated_at',
] as const;

function insertSql(table: string, cols: readonly string[]): string {
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`;
}

export type BookingsRepo = ReturnType<typeof createBookingsRepo>;

export function createBookingsRepo(db: Db) {
  const get = db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE id = ?');
  const refTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM bookings WHERE ref = ?').pluck();
  const insert = db.prepare(insertSql('bookings', BOOKING_COLUMNS));
  // Every change bumps the version; callers check expectedVersion first.
  const update = db.prepare(
    `UPDATE bookings SET ${BOOKING_COLUMNS.filter((c) => !['id', 'ref', 'install_id', 'version', 'created_at', 'created_by'].includes(c))
      .map((c) => `${c} = @${c}`)
      .join(', ')}, version = version + 1 WHERE id = @id AND version = @version`,
  );
  const insertQuote = db.prepare(insertSql('booking_quotes', QUOTE_COLUMNS));
  const insertLine = db.prepare(insertSql('booking_lines', LINE_COLUMNS));
  const getQuote = db.prepare<[string], QuoteRow>('SELECT * FROM booking_quotes WHERE id = ?');
  const linesOf = db.prepare<[string], LineRow>('SELECT * FROM booking_lines WHERE quote_id = ? ORDER BY line_no');
  const insertHandover = db.prepare(insertSql('handovers', HANDOVER_COLUMNS));
  const handovers = db.prepare<[string], HandoverRow>('SELECT * FROM handovers WHERE booking_id = ?');
  // Written by the sync client when Stripe reports a dispute or a failed refund (migration 0060).
  const openFlags = db.prepare<[string], { kind: 'dispute' | 'refund_failed' | 'payment_failed'; detail: string; at: string }>(
    'SELECT kind, detail, created_at AS at FROM booking_flags WHERE booking_id = ? AND resolved_at IS NULL ORDER BY created_at, id',
  );

  const conflicts = db.prepare<BlockWindow & { vehicleId: string }, ConflictRow>(
    CONFLICTS_SQL,
  );

  const summary = db.prepare<[string], SummaryRow>(`${SUMMARY_SELECT} WHERE b.id = ?`);
  const summariesBySeq = db.prepare<[string], SummaryRow>(`${SUMMARY_SELECT} WHERE b.seq IN (SELECT value FROM json_each(?))`);
  // The counter's board: @loc (its location) narrows pickups to those there and returns, overdue
  // and unsettled rentals to those coming back there; NULL lists every location.
  const pickupsBetween = db.prepare<{ start: string; end: string; loc: string | null }, SummaryRow>(
    `${SUMMARY_SELECT} WHERE b.pickup_at >= @start AND b.pickup_at < @end AND b.status IN ('reserved', 'checked_out') AND (@loc IS NULL OR b.pickup_location_id = @loc) ORDER BY b.pickup_at, b.ref`,
  );
  const returnsBetween = db.prepare<{ start: string; end: string; loc: string | null }, SummaryRow>(
    `${SUMMARY_SELECT} WHERE b.return_at >= @start AND b.return_at < @end AND b.status IN ('checked_out', 'returned', 'closed') AND (@loc IS NULL OR b.return_location_id = @loc) ORDER BY b.return_at, b.ref`,
  );
  const overdue = db.prepare<{ now: string; loc: string | null }, SummaryRow>(
    `${SUMMARY_SELECT} WHERE b.status = 'checked_out' AND b.return_at < @now AND (@loc IS NULL OR b.return_location_id = @loc) ORDER BY b.return_at`,
  );
  const returnedOpen = db.prepare<{ loc: string | null }, SummaryRow>(`${SUMMARY_SELECT} WHERE b.status = 'returned' AND (@loc IS NULL OR b.return_location_id = @loc) ORDER BY b.return_at`);
  const overlapping = db.prepare<
    { from: string; to: string; vehicleId: string | null; customerId: string | null; statuses: string | null; limit: number },
    SummaryRow
  >(
    `${SUMMARY_SELECT}
     WHERE b.return_at > @from AND b.pickup_at < @to
       AND (@vehicleId IS NULL OR b.vehicle_id = @vehicleId)
       AND (@customerId IS NULL OR b.customer_id = @customerId)
       AND (@statuses IS NULL OR b.status IN (SELECT value FROM json_each(@statuses)))
     ORDER BY b.pickup_at LIMIT @limit`,
  );
  const ofCustomer = db.prepare<[string], SummaryRow>(`${SUMMARY_SELECT} WHERE b.customer_id = ? ORDER BY b.pickup_at DESC LIMIT 200`);

  // Never moves back: a check-in recorded late with an earlier time leaves the later return.
  const markReturned = db.prepare<{ id: string; at: string }>(
    'UPDATE vehicles SET returned_at = max(coalesce(returned_at, \'\'), @at) WHERE id = @id',
  );

  const money = db.prepare<{ id: string }, { paid: number; refunded: number }>(
    `SELECT ${paidOnBookingSql('@id')} AS paid,
            (SELECT coalesce(sum(amount), 0) FROM refunds WHERE booking_id = @id AND status NOT IN ('failed', 'canceled') AND method <> 'release') AS refunded`,
  );

  // Live bookings of a class overlapping a window widened by the turnaround (out and overdue ones hold on).
  const classLoad = db.prepare<BlockWindow & { cls: string }, { n: number }>(
    `SELECT count(*) AS n FROM bookings b
     WHERE b.vehicle_class = @cls AND b.status IN ('reserved', 'checked_out') AND b.id IS NOT @excludeId
       AND b.pickup_at < @endG AND ((b.return_at > @startG AND ${readyAfterSql('b.return_at', 'b')} > @start) OR (b.status = 'checked_out' AND b.return_at < @now))`,
  );
  const classCars = db.prepare<{ cls: string }, { n: number }>("SELECT count(*) AS n FROM vehicles WHERE class = @cls AND status <> 'in_service'");

  return {
    /** How many cars of a class there are, and how many of its bookings overlap the window. */
    classCount: (cls: string, w: BlockWindow) => ({ cars: classCars.get({ cls })?.n ?? 0, booked: classLoad.get({ cls, ...w })?.n ?? 0 }),
    get: (id: string) => get.get(id),
    refTaken: (ref: string) => refTaken.get(ref) !== undefined,
    insert: (row: BookingRow) => void insert.run({ end_fee: null, car_assigned: 1, ...row }),
    /** Returns false when the row's version moved on (a concurrent write); the caller refuses. */
    update: (row: BookingRow) => update.run({ end_fee: null, car_assigned: 1, ...row }).changes === 1,
    insertQuote: (row: QuoteRow) => void insertQuote.run({ tax_name: null, ...row }),
    insertLine: (row: LineRow) => void insertLine.run(row),
    getQuote: (id: string) => getQuote.get(id),
    linesOf: (quoteId: string) => linesOf.all(quoteId),
    insertHandover: (row: HandoverRow) => void insertHandover.run({ marks_json: '[]', ...row }),
    handovers: (bookingId: string) => handovers.all(bookingId),
    openFlags: (bookingId: string) => openFlags.all(bookingId),
    conflicts: (vehicleId: string, w: BlockWindow) => conflicts.all({ vehicleId, ...w }),
    summary: (id: string) => summary.get(id),
    summariesBySeq: (seqs: readonly number[]) => summariesBySeq.all(JSON.stringify(seqs)),
    pickupsBetween: (start: string, end: string, loc: string | null = null) => pickupsBetween.all({ start, end, loc }),
    returnsBetween: (start: string, end: string, loc: string | null = null) => returnsBetween.all({ start, end, loc }),
    overdue: (now: string, loc: string | null = null) => overdue.all({ now, loc }),
    /** Returned and not yet closed (closing needs a settled balance), oldest return first. */
    returnedOpen: (loc: string | null = null) => returnedOpen.all({ loc }),
    overlapping: (f: { from: string; to: string; vehicleId?: string | undefined; customerId?: string | undefined; statuses?: readonly string[] | undefined; limit: number }) =>
      overlapping.all({
        from: f.from,
        to: f.to,
        vehicleId: f.vehicleId ?? null,
        customerId: f.customerId ?? null,
        statuses: f.statuses ? JSON.stringify(f.statuses) : null,
        limit: f.limit,
      }),
    ofCustomer: (customerId: string) => ofCustomer.all(customerId),
    /** The vehicle came back at `at`: it is prepared for the next rental during the turnaround. */
    markReturned: (vehicleId: string, at: string) => void markReturned.run({ id: vehicleId, at }),
    money: (id: string) => money.get({ id }) ?? { paid: 0, refunded: 0 },
  };
}
