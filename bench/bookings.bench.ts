// Bookings at scale: 100,000 bookings and 50,000 customers in a temp-file database. Measures
// open + migrate (fresh and re-open), search through the full rpc path (1,000 realistic
// queries), availability (whole fleet for a window, and the per-vehicle conflict check a booking
// runs), and the pricing engine per booking. Prints one JSON line.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackend } from '../src/main/backend';
import { openDatabase } from '../src/main/db/connection';
import { inspectDatabase } from '../src/main/db/inspect';
import { migrate } from '../src/main/db/migrate';
import { REBUILD_SEARCH_SQL } from '../src/main/db/migrations/0040-search';
import { MIGRATIONS } from '../src/main/db/migrations/index';
import { memoryLogger } from '../src/main/log';
import { CONFLICTS_SQL } from '../src/main/services/bookings/bookingsRepo';
import { blockWindow } from '../src/main/services/fleet/fleetService';
import { REF_ALPHABET } from '../src/main/services/bookings/bookingRef';
import { demoRateCard } from '../src/main/services/pricing/demoRateCard';
import { prepareRateCard, priceBooking } from '../src/main/services/pricing/priceBooking';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLATE_LETTERS } from '../src/main/services/seed/demoData';
import { createRng } from '../src/main/services/seed/prng';
import { percentile, round } from './stats';

// BENCH_SCALE=0.1 for a quick run while working on this file.
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const BOOKINGS = Math.round(100_000 * SCALE);
const CUSTOMERS = Math.round(50_000 * SCALE);
const progress = (msg: string) => process.env.BENCH_VERBOSE && process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const VEHICLES = 400;
const QUERIES = 1_000;
const DAY = 86_400_000;
const NOW = Date.parse('2025-06-04T09:30:00Z');
const manager = { role: 'manager' as const, staffId: null, transport: 'internal' as const };

const dir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
const dbPath = join(dir, 'keydesk.sqlite');
const rng = createRng(42);
const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
};

// ─── fresh open + migrate ─────────────────────────────────────────────────────────────────────
const [, freshMs] = time(() => {
  const db = openDatabase(dbPath);
  migrate(db, MIGRATIONS);
  db.close();
});

// ─── generate ─────────────────────────────────────────────────────────────────────────────────
const backend = createBackend({ dataDir: dir, dbPath, version: 'bench', transport: 'http', log: memoryLogger(), mode: 'test', now: () => new Date(NOW) });
const card = demoRateCard('EUR');
await backend.call(manager, 'settings.update', { timeZone: 'Europe/Amsterdam', turnaroundMinutes: 60 });
await backend.call(manager, 'rates.update', { card });
const db = backend.db;

const iso = (ms: number) => new Date(ms).toISOString();
const stamp = iso(NOW - 800 * DAY);
const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
const classes = Object.keys(card.classes);
const plates: string[] = [];
const phones: string[] = [];
const surnames: string[] = [];
const emails: string[] = [];
const refs: string[] = [];

// Bulk load with the search triggers off, then index everything in one pass (as the migration does).
const triggers = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name IN ('bookings_fts_insert', 'customers_fts_insert')").all() as { name: string; sql: string }[];
const [, generateMs] = time(() =>
  db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    db.prepare("INSERT INTO locations (id, code, name, is_home, install_id, created_at, updated_at) VALUES ('01J00000000000000000000AMS', 'AMS', 'Amsterdam Centraal', 1, 'bench', ?, ?)").run(stamp, stamp);
    const insV = db.prepare(
      "INSERT INTO vehicles (id, plate, make, model, class, odometer, fuel_eighths, install_id, created_at, updated_at) VALUES (?, ?, 'Volkswagen', 'Golf', ?, 20000, 8, 'bench', ?, ?)",
    );
    const seen = new Set<string>();
    for (let i = 0; i < VEHICLES; i++) {
      let p = '';
      do p = `${PLATE_LETTERS[rng.int(0, 15)]}${PLATE_LETTERS[rng.int(0, 15)]}-${rng.int(100, 999)}-${PLATE_LETTERS[rng.int(0, 15)]}`;
      while (seen.has(p));
      seen.add(p);
      plates.push(p);
      insV.run(`V${String(i).padStart(25, '0')}`, p, classes[i % classes.length], stamp, stamp);
    }
    const insC = db.prepare(
      `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, install_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, '2031-01-01', '1980-05-05', 'bench', ?, ?)`,
    );
    for (let i = 0; i < CUSTOMERS; i++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const phone = `+31 6 ${rng.int(1000, 9999)} ${rng.int(1000, 9999)}`;
      const email = `${ascii(first)}.${ascii(last)}${i}@${rng.pick(EMAIL_DOMAINS)}`;
      if (i % 50 === 0) {
        phones.push(phone);
        surnames.push(last);
        emails.push(email);
      }
      insC.run(`C${String(i).padStart(25, '0')}`, first, last, email, phone, `5${String(rng.int(0, 999_999_999)).padStart(9, '0')}`, stamp, stamp);
    }
    const insB = db.prepare(
      `INSERT INTO bookings (id, ref, status, customer_id, vehicle_id, vehicle_class, pickup_location_id, return_location_id, pickup_at, return_at, quote_id, total, currency, install_id, created_at, updated_at)
       VALUES (@id, @ref, @status, @customer, @vehicle, @cls, '01J00000000000000000000AMS', '01J00000000000000000000AMS', @pickup, @ret, @quote, @total, 'EUR', 'bench', @at, @at)`,
    );
    const insQ = db.prepare(
      `INSERT INTO booking_quotes (id, booking_id, reason, rate_card_id, rate_card_version, currency, tax_mode, tax_rate_bp, time_zone, rental_days, late_minutes, subtotal, discount_total, tax_total, total, computed_at, install_id, created_at, updated_at)
       VALUES (@quote, @id, 'create', 'demo-eur', 1, 'EUR', 'exclusive', 2000, 'Europe/Amsterdam', @days, 0, @sub, 0, @tax, @total, @at, 'bench', @at, @at)`,
    );
    const insL = db.prepare(
      `INSERT INTO booking_lines (id, quote_id, booking_id, line_no, kind, code, description, quantity, quantity_scale, unit_amount, amount, currency, taxable, counts_in_total, install_id, created_at, updated_at)
       VALUES (@lid, @quote, @id, @n, @kind, @code, @desc, @qty, 1, @unit, @amount, 'EUR', @taxable, 1, 'bench', @at, @at)`,
    );
    // Each vehicle's bookings back to back (plus turnaround), from ~2 years ago to ~2 months ahead.
    const perVehicle = Math.ceil(BOOKINGS / VEHICLES);
    const refSet = new Set<string>();
    let n = 0;
    for (let v = 0; v < VEHICLES && n < BOOKINGS; v++) {
      let t = NOW - (perVehicle - 12) * 3 * DAY + rng.int(0, 48) * 3_600_000;
      for (let k = 0; k < perVehicle && n < BOOKINGS; k++, n++) {
        const days = rng.int(1, 4);
        const pickup = t;
        const ret = pickup + days * DAY - rng.int(0, 3) * 3_600_000;
        t = ret + rng.int(2, 30) * 3_600_000;
        let ref = '';
        do {
          ref = 'KD-';
          for (let c = 0; c < 5; c++) ref += REF_ALPHABET[rng.int(0, REF_ALPHABET.length - 1)];
        } while (refSet.has(ref));
        refSet.add(ref);
        if (n % 100 === 0) refs.push(ref);
        const status = ret < NOW ? 'closed' : pickup < NOW ? 'checked_out' : 'reserved';
        const sub = days * 4500;
        const id = `B${String(n).padStart(25, '0')}`;
        const row = { id, ref, status, customer: `C${String(rng.int(0, CUSTOMERS - 1)).padStart(25, '0')}`, vehicle: `V${String(v).padStart(25, '0')}`, cls: classes[v % classes.length], pickup: iso(pickup), ret: iso(ret), quote: `Q${id.slice(1)}`, total: sub * 1.2, at: iso(pickup - 3 * DAY), days, sub, tax: sub * 0.2 };
        insB.run(row);
        insQ.run(row);
        insL.run({ ...row, lid: `L${id.slice(1)}0`, n: 0, kind: 'rental_days', code: row.cls, desc: `${days} days`, qty: days, unit: 4500, amount: sub, taxable: 1 });
        insL.run({ ...row, lid: `L${id.slice(1)}1`, n: 1, kind: 'tax', code: 'tax', desc: 'VAT 20%', qty: 1, unit: row.tax, amount: row.tax, taxable: 0 });
      }
    }
    for (const t of triggers) db.exec(t.sql);
  })(),
);
const [, indexMs] = time(() => db.transaction(() => db.exec(REBUILD_SEARCH_SQL))());
progress(`indexed in ${Math.round(indexMs)} ms`);
progress(`generated in ${Math.round(generateMs)} ms`);
db.pragma('optimize');
backend.close();
const dbBytes = statSync(dbPath).size;

// ─── re-open the large database ───────────────────────────────────────────────────────────────
const [, reopenMs] = time(() => {
  const d = openDatabase(dbPath);
  migrate(d, MIGRATIONS);
  d.close();
});
// The start-up inspection (header, version and quick_check on a read-only handle), alone.
const [, startupCheckMs] = time(() => inspectDatabase(dbPath, MIGRATIONS.at(-1)?.version ?? 0, () => null));
const [big, reopenBackendMs] = time(() =>
  createBackend({ dataDir: dir, dbPath, version: 'bench', transport: 'http', log: memoryLogger(), mode: 'test', now: () => new Date(NOW) }),
);

progress('reopened');
if (process.env.BENCH_GENERATE_ONLY) {
  progress(`generated ${dbPath}`);
  process.exit(0);
}
// ─── search: 1,000 realistic queries through dispatch ─────────────────────────────────────────
const queries: string[] = [];
for (let i = 0; i < QUERIES; i++) {
  const kind = i % 8;
  const surname = rng.pick(surnames);
  if (kind === 0) queries.push(surname.split(' ').pop()!.slice(0, rng.int(3, 6))); // surname prefix
  else if (kind === 1) queries.push(`${rng.pick(FIRST_NAMES)} ${surname.split(' ').pop()!.slice(0, 4)}`); // first name + surname prefix
  else if (kind === 2) queries.push(rng.pick(refs).slice(0, rng.int(5, 8))); // ref prefix, "KD-7F" .. full
  else if (kind === 3) queries.push(rng.pick(plates).slice(0, rng.int(2, 8))); // plate prefix
  else if (kind === 4) queries.push(rng.pick(phones).slice(-4)); // last 4 digits
  else if (kind === 5) queries.push(rng.pick(phones).replace('+31 6', '06')); // national format
  else if (kind === 6) queries.push(rng.pick(emails).slice(0, rng.int(4, 10))); // email prefix
  else queries.push(rng.pick(['jan', 'de', 'van', 'smi', 'mü', 'kd', '06', 'a', 'ma'])); // short, broad queries
}
const ctx = manager;
for (const q of queries.slice(0, 50)) await big.call(ctx, 'bookings.search', { query: q, limit: 20 });
const searchMs: number[] = [];
let hits = 0;
for (const q of queries) {
  const t0 = performance.now();
  const res = await big.call(ctx, 'bookings.search', { query: q, limit: 20 });
  searchMs.push(performance.now() - t0);
  if (!res.ok) throw new Error(`search "${q}" failed: ${res.error.message} ${JSON.stringify((big.log as unknown as { records: unknown[] }).records.slice(-1))}`);
  hits += (res.value as { results: unknown[] }).results.length;
}
const worst = [...searchMs.map((ms, i) => ({ ms, q: queries[i] }))].sort((a, b) => b.ms - a.ms).slice(0, 3);

progress('searched');
// ─── availability ─────────────────────────────────────────────────────────────────────────────
const fleetMs: number[] = [];
const vehicleMs: number[] = [];
const conflicts = big.db.prepare(CONFLICTS_SQL);
for (let i = 0; i < 1_000; i++) {
  const from = NOW + rng.int(-2, 60) * DAY + rng.int(0, 23) * 3_600_000;
  const to = from + rng.int(1, 7) * DAY;
  const t0 = performance.now();
  const res = await big.call(ctx, 'vehicles.availability', { from: iso(from), to: iso(to), ...(i % 2 ? { class: 'compact' } : {}) });
  fleetMs.push(performance.now() - t0);
  if (!res.ok) throw new Error(res.error.message);
  const t1 = performance.now();
  conflicts.all({ vehicleId: `V${String(rng.int(0, VEHICLES - 1)).padStart(25, '0')}`, ...blockWindow(iso(from), iso(to), 60, new Date(NOW), null) });
  vehicleMs.push(performance.now() - t1);
}

progress('availability done');
// ─── pricing engine per booking ───────────────────────────────────────────────────────────────
const prepared = prepareRateCard(card);
const PRICES = 20_000;
for (let i = 0; i < 500; i++) priceBooking({ currency: 'EUR', vehicleClass: 'midsize', pickupAt: iso(NOW), returnAt: iso(NOW + 3 * DAY), pickupLocation: 'AMS', returnLocation: 'AMS', driverAges: [40], computedAt: iso(NOW) }, prepared);
const [, priceMs] = time(() => {
  for (let i = 0; i < PRICES; i++) {
    priceBooking(
      {
        currency: 'EUR',
        vehicleClass: classes[i % classes.length] as string,
        pickupAt: iso(NOW + (i % 50) * DAY),
        returnAt: iso(NOW + (i % 50) * DAY + ((i % 9) + 1) * DAY),
        pickupLocation: 'AMS',
        returnLocation: i % 7 === 0 ? 'RTM' : 'AMS',
        driverAges: [i % 5 === 0 ? 23 : 40],
        extras: i % 3 === 0 ? [{ code: 'child_seat', quantity: 1 }] : [],
        computedAt: iso(NOW),
      },
      prepared,
    );
  }
});

big.close();
if (process.env.BENCH_KEEP_DB) progress(`kept ${dbPath}`);
else rmSync(dir, { recursive: true, force: true });

process.stdout.write(
  `${JSON.stringify({
    bench: 'bookings',
    bookings: BOOKINGS,
    customers: CUSTOMERS,
    vehicles: VEHICLES,
    generate_s: round(generateMs / 1000, 2),
    fts_index_s: round(indexMs / 1000, 2),
    db_mb: round(dbBytes / 1_048_576, 1),
    open_migrate_fresh_ms: round(freshMs, 1),
    reopen_large_ms: round(reopenMs, 1),
    reopen_large_backend_ms: round(reopenBackendMs, 1),
    startup_quick_check_large_ms: round(startupCheckMs, 1),
    search_queries: QUERIES,
    search_p50_ms: round(percentile(searchMs, 50)),
    search_p95_ms: round(percentile(searchMs, 95)),
    search_max_ms: round(Math.max(...searchMs)),
    search_slowest: worst.map((w) => `${w.q} ${round(w.ms, 1)}ms`),
    search_avg_results: round(hits / QUERIES, 1),
    availability_fleet_p50_ms: round(percentile(fleetMs, 50)),
    availability_fleet_p95_ms: round(percentile(fleetMs, 95)),
    conflict_check_vehicle_p95_ms: round(percentile(vehicleMs, 95)),
    price_per_booking_us: round((priceMs / PRICES) * 1000, 1),
  })}\n`,
);
