/**
 * Pricing engine: time to price one booking over realistic random bookings from a seeded
 * generator. `p*_us`: rate card passed raw (validated on every call, as a careless caller would);
 * `prepared_card_*`: card validated once with prepareRateCard. Input is always validated.
 * Prints one JSON line.
 *   npx tsx bench/pricing.bench.ts            (100k bookings)
 *   BENCH_N=20000 npx tsx bench/pricing.bench.ts
 */
import { demoRateCard, type DemoCurrency } from '../src/main/services/pricing/demoRateCard';
import { prepareRateCard, priceBooking, type PreparedRateCard } from '../src/main/services/pricing/priceBooking';
import type { PriceInput, RateCard } from '../src/main/services/pricing/schemas';

const N = Number(process.env.BENCH_N ?? 100_000);
const WARMUP = Math.min(5_000, N);

// mulberry32: small seeded PRNG so every run prices the same bookings.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = rng(42);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const chance = (p: number) => rand() < p;
function pick<T>(xs: readonly T[]): T {
  const x = xs[Math.floor(rand() * xs.length)];
  if (x === undefined) throw new Error('empty list');
  return x;
}

const CARDS: Record<DemoCurrency, RateCard> = { EUR: demoRateCard('EUR'), JPY: demoRateCard('JPY'), KWD: demoRateCard('KWD') };
const PLACES: Record<DemoCurrency, string[]> = { EUR: ['AMS', 'RTM', 'EIN', 'UTR'], JPY: ['HND', 'NRT'], KWD: ['KWI', 'SLM'] };
const OFFSET: Record<DemoCurrency, string> = { EUR: '+02:00', JPY: '+09:00', KWD: '+03:00' };
const CLASSES = ['economy', 'economy', 'compact', 'compact', 'midsize', 'midsize', 'suv', 'van', 'premium'];
const T0 = Date.parse('2025-01-01T00:00:00Z');
const HOUR = 3_600_000;

function isoAt(ms: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const h = Number(offset.slice(1, 3));
  return `${new Date(ms + sign * h * HOUR).toISOString().slice(0, 19)}${offset}`;
}

function booking(): { input: PriceInput; card: RateCard } {
  const cur: DemoCurrency = chance(0.8) ? 'EUR' : chance(0.5) ? 'JPY' : 'KWD';
  const card = CARDS[cur];
  const off = OFFSET[cur];
  const pickup = T0 + int(0, 365 * 24) * HOUR + pick([0, 15, 30, 45]) * 60_000;
  const days = chance(0.85) ? int(1, 7) : int(8, 30);
  const ret = pickup + days * 24 * HOUR - (chance(0.2) ? int(1, 5) * HOUR : 0);
  const from = PLACES[cur][0] ?? 'AMS';
  const input: PriceInput = {
    currency: cur,
    vehicleClass: pick(CLASSES),
    pickupAt: isoAt(pickup, off),
    returnAt: isoAt(ret, off),
    pickupLocation: from,
    returnLocation: chance(0.1) ? pick(PLACES[cur]) : from,
    driverAges: chance(0.2) ? [int(21, 24)] : chance(0.3) ? [int(25, 75), int(21, 75)] : [int(25, 75)],
    extras: Object.keys(card.extras ?? {})
      .filter(() => chance(0.25))
      .map((code) => ({ code })),
    fees: chance(0.3) ? [{ code: 'airport_surcharge' }] : [],
    computedAt: isoAt(pickup - 24 * HOUR, off),
  };
  if (chance(0.5)) {
    // Returned: readings, sometimes late, sometimes damaged.
    input.actualReturnAt = isoAt(ret + (chance(0.15) ? int(30, 30 * 60) : -int(0, 120)) * 60_000, off);
    input.fuel = card.fuel?.unit === 'eighth' ? { unit: 'eighth', outEighths: 8, inEighths: chance(0.7) ? 8 : int(2, 7) } : { unit: 'litre', missingMillilitres: chance(0.7) ? 0 : int(1000, 40_000) };
    const out = int(5_000, 150_000);
    input.odometer = { out, in: out + int(20, 400) * days };
    if (chance(0.05)) input.damages = [{ description: 'Scratch on rear bumper', amount: int(50, 800) * 100 }];
  }
  if (chance(0.1)) input.discounts = [chance(0.5) ? { code: 'CORP10', type: 'percent', percentBp: 1000, appliesTo: 'rental' } : { code: 'SORRY', type: 'fixed', amount: 2000, appliesTo: 'whole' }];
  return { input, card };
}

const cases = Array.from({ length: N }, booking);
const prepared = new Map<RateCard, PreparedRateCard>(Object.values(CARDS).map((c) => [c, prepareRateCard(c)]));

/** Prices every case once (after a warm-up); returns sorted per-call µs and a checksum. */
function run(cardFor: (c: RateCard) => RateCard | PreparedRateCard) {
  let checksum = 0;
  for (let i = 0; i < WARMUP; i++) {
    const c = cases[i];
    if (c) checksum += priceBooking(c.input, cardFor(c.card)).total;
  }
  checksum = 0;
  const times = new Float64Array(N);
  let lines = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const c = cases[i];
    if (!c) continue;
    const card = cardFor(c.card);
    const t0 = process.hrtime.bigint();
    const q = priceBooking(c.input, card);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
    checksum += q.total;
    lines += q.lines.length;
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  times.sort();
  const pct = (p: number) => Number((times[Math.min(N - 1, Math.floor((p / 100) * N))] ?? 0).toFixed(1));
  let sum = 0;
  for (const t of times) sum += t;
  return { p50: pct(50), p95: pct(95), p99: pct(99), max: Number((times[N - 1] ?? 0).toFixed(1)), mean: Number((sum / N).toFixed(1)), perSec: Math.round((N / wallMs) * 1000), lines, checksum };
}

const raw = run((c) => c);
const fast = run((c) => prepared.get(c) ?? c);
if (raw.checksum !== fast.checksum) throw new Error('prepared and raw cards priced differently');
console.log(
  JSON.stringify({
    bench: 'pricing',
    bookings: N,
    p50_us: raw.p50,
    p95_us: raw.p95,
    p99_us: raw.p99,
    max_us: raw.max,
    mean_us: raw.mean,
    per_sec: raw.perSec,
    prepared_card_p50_us: fast.p50,
    prepared_card_p95_us: fast.p95,
    prepared_card_p99_us: fast.p99,
    prepared_card_per_sec: fast.perSec,
    mean_lines: Number((raw.lines / N).toFixed(2)),
    checksum: raw.checksum,
    node: process.version,
  }),
);
