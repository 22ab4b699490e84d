import { ulid } from 'ulid';
import { newId } from '../../core/ids';
import type { Settings } from '../../../shared/contract/settings';
import { CURRENCY_EXPONENTS } from '../../../shared/money';
import type { CurrencyCode } from '../../../shared/money';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import { createBookingsRepo, priceFacts, uniqueBookingRef, writeQuote } from '../bookings/index';
import type { BookingRow, PriceFacts } from '../bookings/index';
import type { RateCardService } from '../pricing/index';
import { addDays, localDate, zonedInstant } from '../../core/shopTime';
import { createCustomersRepo } from '../customers/index';
import type { CustomerRow } from '../customers/index';
import { createFleetRepo } from '../fleet/index';
import type { LocationRow, VehicleRow } from '../fleet/index';
import { demoRateCard } from '../pricing/index';
import type { RateCard } from '../pricing/index';
import { readSettingRows, writeSetting } from '../settings/index';
import { hashPinSync } from '../staff/index';
import type { StaffService } from '../staff/index';
import { createSeedPaymentWriter } from '../payments/index';
import { COLOURS, DEMO_LOCATIONS, EMAIL_DOMAINS, FIRST_NAMES, FLEET_PLAN, LAST_NAMES, PHONE_FORMATS, PLATE_LETTERS } from './demoData';
import { createRng } from './prng';
import type { Rng } from './prng';

export const DEMO_MANAGER = { name: 'Demo manager', role: 'manager', pin: '1234' } as const;
export const DEMO_CLERK = { name: 'Demo clerk', role: 'clerk', pin: '0000' } as const;
/** The demo shop's admin, so the Staff tab shows its role rules (a manager cannot touch an admin; the last admin stays). */
export const DEMO_ADMIN = { name: 'Demo admin', role: 'admin', pin: '2580' } as const;

const MARKER = 'demo.seeded';

// The demo PINs are printed on the screen, so their hashes may be shared by every backend this
// process starts (tests start many); scrypt is deliberately slow.
let demoPinHashes: { manager: string; clerk: string } | null = null;
let demoAdminHash: string | null = null;
const hasAdmin = (db: Db) => db.prepare("SELECT 1 FROM staff WHERE role = 'admin' LIMIT 1").get() !== undefined;
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Days of history and of future bookings around today. */
const PAST_DAYS = 45;
const FUTURE_DAYS = 28;

export type DemoSeedDeps = {
  db: Db;
  installId: string;
  settings: Settings;
  staff: StaffService;
  rates: RateCardService;
  now: Date;
};

export type DemoSeedOptions = {
  /** Same seed and same day → the same shop. */
  seed?: number;
  /** false: only what every demo start needs (rate card, locations, staff). */
  full?: boolean;
  vehicles?: number;
  customers?: number;
};

export type DemoSeedReport = { seeded: boolean; vehicles: number; customers: number; bookings: number };

const DEMO_EUR_VAT_BP = 2100;

/** Where each demo card's shop stands: its clock is the shop's clock. */
const DEMO_TIME_ZONES = { EUR: 'Europe/Amsterdam', JPY: 'Asia/Tokyo', KWD: 'Asia/Kuwait' } as const;

/**
 * A demo shop's clock is the clock of its locations, not the machine's (a demo in Amsterdam on a
 * UTC laptop ran in UTC). Written as part of seeding (like the seed marker, not a change anyone
 * made), before the settings are first read, and only while nobody has chosen a zone and the
 * shop is not seeded yet.
 */
export function applyDemoSettings(db: Db, opts: DemoSeedOptions = {}): void {
  const rows = readSettingRows(db);
  if (opts.full === false || rows.has('timeZone') || rows.has(MARKER)) return;
  const raw = rows.get('currency');
  const currency = (typeof raw === 'string' && raw in CURRENCY_EXPONENTS ? raw : 'EUR') as CurrencyCode;
  const base = currency === 'JPY' || currency === 'KWD' || currency === 'EUR' ? currency : ({ 0: 'JPY', 2: 'EUR', 3: 'KWD' } as const)[CURRENCY_EXPONENTS[currency]];
  writeSetting(db, 'timeZone', DEMO_TIME_ZONES[base], null);
}

/** The demo card for the shop's currency; other currencies borrow the figures of one with the same decimals. */
export function demoCardFor(currency: CurrencyCode, timeZone: string, shop = false): { card: RateCard; base: 'EUR' | 'JPY' | 'KWD' } {
  const base = currency === 'JPY' || currency === 'KWD' || currency === 'EUR' ? currency : ({ 0: 'JPY', 2: 'EUR', 3: 'KWD' } as const)[CURRENCY_EXPONENTS[currency]];
  const fixture = demoRateCard(base);
  // The demo shop a user opens stands in Amsterdam: Dutch VAT is 21 %. Test shops (basics only)
  // keep the engine's fixture card at 20 %, which every worked example in the tests uses.
  const card = shop && base === 'EUR' ? { ...fixture, tax: { ...fixture.tax, rateBp: DEMO_EUR_VAT_BP } } : fixture;
  if (base === currency) return { card: { ...card, timeZone }, base };
  return { card: { ...card, id: `demo-${currency.toLowerCase()}`, name: `Demo tariff (${currency})`, currency, timeZone }, base };
}

/**
 * What every demo start needs, each part only when missing: a rate card in the shop's currency,
 * pickup locations, and the demo manager (PIN 1234) and clerk (PIN 0000). The demo shop a user
 * opens (`shop`) also gets the demo admin (PIN 2580) while it has no admin, a demo shop seeded
 * before admins existed included; test shops (basics only) have none, as their role tests expect.
 * Returns the manager.
 */
export function ensureDemoBasics(deps: DemoSeedDeps, shop = false): { managerId: string; managerName: string } {
  const { db, installId, settings, staff, rates, now } = deps;
  const fleetRepo = createFleetRepo(db);
  db.transaction(() => {
    const { card, base } = demoCardFor(settings.currency, settings.timeZone, shop);
    if (!rates.currentOrNull()) rates.save(card, { staffId: null, role: null });
    if (fleetRepo.locations().length === 0) {
      const at = now.toISOString();
      DEMO_LOCATIONS[base].forEach((l, i) => {
        fleetRepo.insertLocation({ id: newId(now.getTime()), code: l.code, name: l.name, is_home: i === 0 ? 1 : 0, install_id: installId, version: 1, created_at: at, updated_at: at });
      });
    }
    if (staff.list().length === 0) {
      demoPinHashes ??= { manager: hashPinSync(DEMO_MANAGER.pin), clerk: hashPinSync(DEMO_CLERK.pin) };
      staff.create({ ...DEMO_MANAGER, pinHash: demoPinHashes.manager });
      staff.create({ ...DEMO_CLERK, pinHash: demoPinHashes.clerk });
    }
    if (shop && !hasAdmin(db)) {
      demoAdminHash ??= hashPinSync(DEMO_ADMIN.pin);
      staff.create({ ...DEMO_ADMIN, pinHash: demoAdminHash });
    }
  })();
  const manager = staff.firstManager();
  if (!manager) throw new Error('demo seed: no manager');
  return { managerId: manager.id, managerName: manager.name };
}

/** Builds the demo shop once (idempotent: a marker in settings records it). Deterministic for a seed and day. */
export function seedDemo(deps: DemoSeedDeps, opts: DemoSeedOptions = {}): DemoSeedReport {
  ensureDemoBasics(deps, opts.full !== false);
  const { db } = deps;
  if (opts.full === false || readSettingRows(db).has(MARKER)) return { seeded: false, vehicles: 0, customers: 0, bookings: 0 };
  return db.transaction(() => buildShop(deps, opts))();
}

type Rental = { pickupMs: number; returnMs: number; anchor: boolean; overdue?: boolean };

function buildShop(deps: DemoSeedDeps, opts: DemoSeedOptions): DemoSeedReport {
  const { db, installId, settings, now } = deps;
  const seed = opts.seed ?? 20250601;
  const rng = createRng(seed);
  const id = (ms: number) => ulid(ms, rng.next);
  const tz = settings.timeZone;
  const nowMs = now.getTime();
  const today = localDate(nowMs, tz);
  const at = (date: string, h: number, m = 0) => zonedInstant(date, h, m, tz);
  const quarter = () => rng.pick([0, 15, 30, 45]);
  const card = deps.rates.current();
  const fleetRepo = createFleetRepo(db);
  const customersRepo = createCustomersRepo(db);
  const bookingsRepo = createBookingsRepo(db);
  const locations = fleetRepo.locations();
  const home = locations.find((l) => l.is_home === 1) ?? (locations[0] as LocationRow);
  const gapMs = (settings.turnaroundMinutes + 30) * 60_000;
  const stamp = new Date(nowMs - 3 * PAST_DAYS * DAY).toISOString();

  // ─── fleet ──────────────────────────────────────────────────────────────────────────────────
  const vehicleCount = opts.vehicles ?? 40;
  const plates = new Set<string>();
  const plate = (): string => {
    for (;;) {
      const L = () => PLATE_LETTERS[rng.int(0, PLATE_LETTERS.length - 1)];
      const p = `${L()}${L()}-${rng.int(100, 999)}-${L()}`;
      if (!plates.has(p)) {
        plates.add(p);
        return p;
      }
    }
  };
  // Classes in the plan's proportions (10 economy, 10 compact, …), cycled for other fleet sizes.
  const slots = FLEET_PLAN.filter((c) => Object.hasOwn(card.card.classes, c.code)).flatMap((c) => Array.from({ length: c.count }, () => c));
  const vehicles: VehicleRow[] = [];
  for (let i = 0; i < vehicleCount && slots.length > 0; i++) {
    const plan = slots[i % slots.length] as (typeof slots)[number];
    const [make, model] = rng.pick(plan.models);
    vehicles.push({
      id: id(nowMs - PAST_DAYS * DAY),
      plate: plate(),
      vin: null,
      retired_at: null,
      make,
      model,
      colour: rng.pick(COLOURS),
      year: rng.int(2019, 2025),
      class: plan.code,
      odometer: rng.int(8, 85) * 1000 + rng.int(0, 999),
      fuel_eighths: 8,
      tank_litres: plan.tank,
      status: 'available',
      location_id: home.id,
      notes: '',
      install_id: installId,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  for (const v of vehicles) fleetRepo.insertVehicle(v);

  // ─── customers ──────────────────────────────────────────────────────────────────────────────
  const customerCount = opts.customers ?? 300;
  const emails = new Set<string>();
  const licences = new Set<string>();
  const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const customers: CustomerRow[] = [];
  for (let i = 0; i < customerCount; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    let email = `${ascii(first)}.${ascii(last)}@${rng.pick(EMAIL_DOMAINS)}`;
    for (let n = 2; emails.has(email); n++) email = email.replace(/(\d*)@/, `${n}@`);
    emails.add(email);
    let licence = '';
    do licence = `5${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    while (licences.has(licence));
    licences.add(licence);
    // A few young drivers (young-driver fee), nobody under the card's minimum age.
    const age = rng.chance(0.08) ? rng.int(22, 24) : rng.int(26, 75);
    const dob = addDays(addDays(today, -age * 365 - Math.floor(age / 4)), -rng.int(1, 360));
    // The first two have an expired licence, to show the refusal; they have no bookings.
    const expiry = i < 2 ? addDays(today, -rng.int(10, 200)) : addDays(today, rng.int(200, 3500));
    customers.push({
      id: id(nowMs - PAST_DAYS * DAY),
      first_name: first,
      last_name: last,
      email,
      phone: phone(rng),
      licence_number: licence,
      licence_expiry: expiry,
      date_of_birth: dob,
      notes: '',
      install_id: installId,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  for (const c of customers) customersRepo.insert(c);

  // ─── timelines: each vehicle's rentals never overlap (turnaround kept) ──────────────────────
  const windowStart = at(addDays(today, -PAST_DAYS), 0);
  const windowEnd = at(addDays(today, FUTURE_DAYS), 0);
  const duration = () => rng.pick([1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 7, 10, 14]);
  const inService = new Set([9, 14].filter((i) => i < vehicles.length));

  const timelines = vehicles.map((_, i): Rental[] => {
    const rentals: Rental[] = [];
    let anchor: Rental | null = null;
    const kind = i === 3 ? 'overdue' : (['returnsToday', 'picksUpToday', 'outNow', 'free', 'free'] as const)[i % 5];
    if (kind === 'returnsToday') anchor = { pickupMs: at(addDays(today, -rng.int(1, 6)), rng.int(8, 16), quarter()), returnMs: at(today, rng.int(9, 18), quarter()), anchor: true };
    if (kind === 'picksUpToday') anchor = { pickupMs: at(today, rng.int(8, 18), quarter()), returnMs: at(addDays(today, rng.int(1, 7)), rng.int(8, 18), quarter()), anchor: true };
    if (kind === 'outNow') anchor = { pickupMs: at(addDays(today, -rng.int(1, 5)), rng.int(8, 17), quarter()), returnMs: at(addDays(today, rng.int(1, 6)), rng.int(8, 18), quarter()), anchor: true };
    if (kind === 'overdue') anchor = { pickupMs: at(addDays(today, -4), 10), returnMs: at(addDays(today, -1), 17), anchor: true, overdue: true };
    if (anchor) rentals.push(anchor);

    // Backwards into the past.
    let edge = (anchor?.pickupMs ?? at(today, 0)) - gapMs;
    for (let guard = 0; guard < 100; guard++) {
      const retDate = localDate(edge - rng.int(0, 48) * HOUR, tz);
      let returnMs = at(retDate, rng.int(8, 19), quarter());
      if (returnMs > edge) returnMs = at(addDays(retDate, -1), rng.int(8, 19), quarter());
      const pickupMs = at(addDays(localDate(returnMs, tz), -duration()), rng.int(8, 17), quarter());
      if (pickupMs < windowStart || pickupMs >= returnMs) break;
      rentals.push({ pickupMs, returnMs, anchor: false });
      edge = pickupMs - gapMs;
    }
    // Forwards into the coming weeks (the overdue car and the ones in service only from later).
    edge = anchor?.returnMs ?? at(addDays(today, 1), 0);
    if (kind === 'overdue' || inService.has(i)) edge = Math.max(edge, at(addDays(today, 3), 0));
    for (let guard = 0; guard < 100; guard++) {
      const pickDate = localDate(edge + gapMs + rng.int(0, 72) * HOUR, tz);
      let pickupMs = at(pickDate, rng.int(8, 17), quarter());
      if (pickupMs < edge + gapMs) pickupMs = at(addDays(pickDate, 1), rng.int(8, 17), quarter());
      if (pickupMs > windowEnd) break;
      const returnMs = at(addDays(localDate(pickupMs, tz), duration()), rng.int(8, 19), quarter());
      rentals.push({ pickupMs, returnMs, anchor: false });
      edge = returnMs;
    }
    return rentals.sort((a, b) => a.pickupMs - b.pickupMs);
  });

  // ─── bookings ───────────────────────────────────────────────────────────────────────────────
  const usable = customers.slice(2);
  const extraCodes = ['child_seat', 'gps', 'additional_driver', 'roadside_cover'].filter((c) => Object.hasOwn(card.card.extras, c));
  const airportFee = Object.hasOwn(card.card.fees, 'airport_surcharge') ? 'airport_surcharge' : null;
  const recordPayment = createSeedPaymentWriter(db, installId);
  const pay = (bookingId: string, amount: number, atIso: string) => {
    if (amount <= 0) return;
    recordPayment({ id: id(Date.parse(atIso)), bookingId, amount, currency: card.card.currency, at: atIso });
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const vehicleAfter = db.prepare('UPDATE vehicles SET odometer = @odometer, fuel_eighths = @fuel, status = @status, notes = @notes, location_id = @location WHERE id = @id');
  let bookingCount = 0;

  vehicles.forEach((v, vi) => {
    let odo = v.odometer;
    let fuel = 8;
    let out = false;
    let parked = v.location_id; // a car stands where its last rental was returned (one-way rentals move it)
    for (const r of timelines[vi] ?? []) {
      const customer = rng.pick(usable);
      const pl = rng.chance(0.85) ? home : rng.pick(locations);
      const rl = rng.chance(0.9) ? pl : rng.pick(locations);
      const extras = extraCodes.filter(() => rng.chance(0.15)).map((code) => ({ code, quantity: 1 }));
      const fees = airportFee && /airport/i.test(pl.name) ? [{ code: airportFee, quantity: 1 }] : [];
      const past = r.returnMs <= nowMs && !r.overdue;
      const started = r.pickupMs <= nowMs;
      let status: BookingRow['status'];
      if (r.overdue) status = 'checked_out';
      else if (past) status = rng.chance(0.06) ? 'cancelled' : rng.chance(0.03) ? 'no_show' : r.returnMs > nowMs - 2 * DAY && rng.chance(0.5) ? 'returned' : 'closed';
      else if (started) status = r.anchor && localDate(r.pickupMs, tz) === today && rng.chance(0.5) ? 'reserved' : 'checked_out';
      else status = rng.chance(0.05) ? 'cancelled' : 'reserved';
      if (!r.anchor && status === 'reserved' && started) status = 'checked_out';

      const createdMs = Math.min(r.pickupMs - rng.int(0, 20) * DAY - rng.int(0, 600) * 60_000, nowMs - HOUR);
      const base: PriceFacts = {
        vehicleClass: v.class,
        pickupAt: iso(r.pickupMs),
        returnAt: iso(r.returnMs),
        pickupCode: pl.code,
        returnCode: rl.code,
        dateOfBirth: customer.date_of_birth,
        extras,
        fees,
      };
      const handedOut = status === 'checked_out' || status === 'returned' || status === 'closed';
      const back = status === 'returned' || status === 'closed';
      const outAt = r.pickupMs + rng.int(0, 20) * 60_000;
      const inAt = Math.min(r.returnMs + rng.int(-45, rng.chance(0.1) ? 240 : 30) * 60_000, nowMs - 5 * 60_000);
      const outOdo = odo;
      const inOdo = outOdo + Math.ceil((r.returnMs - r.pickupMs) / DAY) * rng.int(40, 280);
      const inFuel = rng.chance(0.7) ? 8 : rng.int(3, 7);
      const quote = back
        ? priceFacts(card, { ...base, actualReturnAt: iso(Math.max(inAt, outAt + HOUR)), fuel: { outEighths: fuel, inEighths: inFuel, tankLitres: v.tank_litres }, odometer: { out: outOdo, in: inOdo } }, tz, new Date(inAt))
        : priceFacts(card, base, tz, new Date(createdMs));
      // What was taken when the car went out: the booked price (only differs from `quote` once back).
      const paidAtPickup = status === 'returned' ? priceFacts(card, base, tz, new Date(createdMs)).total : quote.total;

      const bookingId = id(createdMs);
      const quoteId = id(createdMs);
      const lastEventMs = back ? inAt : handedOut ? outAt : createdMs;
      const row: BookingRow = {
        id: bookingId,
        ref: uniqueBookingRef(bookingsRepo.refTaken, (n) => rng.int(0, n - 1)),
        status,
        customer_id: customer.id,
        vehicle_id: v.id,
        vehicle_class: v.class,
        pickup_location_id: pl.id,
        return_location_id: rl.id,
        pickup_at: iso(r.pickupMs),
        return_at: iso(r.returnMs),
        extras_json: JSON.stringify(extras),
        fees_json: JSON.stringify(fees),
        notes: '',
        quote_id: quoteId,
        total: quote.total,
        currency: quote.currency,
        cancelled_at: status === 'cancelled' ? iso(Math.min(createdMs + DAY, r.pickupMs - HOUR, nowMs)) : status === 'no_show' ? iso(r.pickupMs + 2 * HOUR) : null,
        cancelled_by: null,
        cancel_reason: status === 'cancelled' ? rng.pick(['Plans changed', 'Flight cancelled', 'Booked elsewhere', 'Trip postponed']) : status === 'no_show' ? 'Did not arrive' : null,
        closed_at: status === 'closed' ? iso(inAt) : null,
        created_by: null,
        install_id: installId,
        version: 1,
        created_at: iso(createdMs),
        updated_at: iso(Math.max(lastEventMs, createdMs)),
      };
      bookingsRepo.insert(row);
      writeQuote(bookingsRepo, bookingId, quote, 'seed', installId, iso(createdMs), quoteId);
      bookingCount++;
      if (handedOut) {
        bookingsRepo.insertHandover({
          id: id(outAt), booking_id: bookingId, kind: 'out', at: iso(outAt), odometer: outOdo, fuel_eighths: fuel,
          damage_notes: rng.chance(0.2) ? rng.pick(['Small scratch rear bumper', 'Stone chip windscreen', 'Scuff on left mirror']) : '',
          damage_json: '[]', photos_json: '[]', signature_ref: null, staff_id: null, install_id: installId, version: 1, created_at: iso(outAt), updated_at: iso(outAt),
        });
        // Paid at the counter: closed bookings in full; returned ones still owe what the return added.
        pay(bookingId, paidAtPickup, iso(outAt));
      }
      if (back) {
        bookingsRepo.insertHandover({
          id: id(inAt), booking_id: bookingId, kind: 'in', at: iso(Math.max(inAt, outAt + HOUR)), odometer: inOdo, fuel_eighths: inFuel,
          damage_notes: '', damage_json: '[]', photos_json: '[]', signature_ref: null, staff_id: null, install_id: installId, version: 1, created_at: iso(inAt), updated_at: iso(inAt),
        });
        odo = inOdo;
        fuel = 8; // the shop refuels after every return
        parked = rl.id;
      }
      if (status === 'checked_out') {
        out = true;
        odo = outOdo;
      }
    }
    // Readings as the history leaves them; a seed write, so the version stays 1.
    const status = out ? 'on_rent' : inService.has(vi) ? 'in_service' : 'available';
    vehicleAfter.run({ id: v.id, odometer: odo, fuel, status, notes: status === 'in_service' ? 'Scheduled service and new tyres' : '', location: parked });
  });
  return finish();

  function finish(): DemoSeedReport {
    appendAudit(db, installId, {
      actorId: null,
      actorRole: null,
      action: 'demo.seed',
      entityType: 'demo',
      entityId: null,
      after: { seed, vehicles: vehicles.length, customers: customers.length, bookings: bookingCount },
    }, now);
    writeSetting(db, MARKER, { seed, at: now.toISOString(), vehicles: vehicles.length, customers: customers.length, bookings: bookingCount }, null, now);
    return { seeded: true, vehicles: vehicles.length, customers: customers.length, bookings: bookingCount };
  }
}

function phone(rng: Rng): string {
  const total = PHONE_FORMATS.reduce((n, f) => n + f.weight, 0);
  let roll = rng.int(1, total);
  const f = PHONE_FORMATS.find((p) => (roll -= p.weight) <= 0) ?? PHONE_FORMATS[0];
  return (f?.format ?? '+31 6 #### ####').replace(/#/g, () => String(rng.int(0, 9)));
}

