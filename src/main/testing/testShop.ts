import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Input, MethodName, Output } from '../../shared/contract';
import type { PosErrorShape } from '../../shared/errors';
import { createBackend } from '../backend';
import type { Backend } from '../backend';
import { memoryLogger } from '../log';
import type { CallContext } from '../core/handlers';

/**
 * A small shop for service tests: demo basics only (rate card, locations, demo staff), a clock
 * the test moves, and Amsterdam time. 2 June 2025 is a Monday; 08:00 in Amsterdam is 06:00Z.
 */
export const MONDAY_8AM = '2025-06-02T06:00:00.000Z';

export type TestShop = {
  b: Backend;
  clock: { now: Date };
  dir: string;
  manager: CallContext;
  clerk: CallContext;
  ok<M extends MethodName>(method: M, input: Input<M>, ctx?: CallContext): Promise<Output<M>>;
  fail<M extends MethodName>(method: M, input: Input<M>, ctx?: CallContext): Promise<PosErrorShape>;
  vehicle(over?: Partial<Input<'vehicles.upsert'>>): Promise<Output<'vehicles.upsert'>>;
  customer(over?: Partial<Input<'customers.upsert'>>): Promise<Output<'customers.upsert'>>;
  count(table: string): number;
  close(): void;
};

let plateNo = 100;

/** `ok` (answer or throw with main's error) and `fail` (main's error, or throw) on a backend, as `byDefault` unless told. */
export function callsOn(b: Pick<Backend, 'call'>, byDefault: CallContext) {
  async function ok<M extends MethodName>(method: M, input: Input<M>, ctx: CallContext = byDefault): Promise<Output<M>> {
    const res = await b.call(ctx, method, input);
    if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`);
    return res.value as Output<M>;
  }
  async function fail<M extends MethodName>(method: M, input: Input<M>, ctx: CallContext = byDefault): Promise<PosErrorShape> {
    const res = await b.call(ctx, method, input);
    if (res.ok) throw new Error(`${method} should have failed`);
    return res.error;
  }
  return { ok, fail };
}

export async function openTestShop(
  opts: { turnaroundMinutes?: number; dbPath?: string; now?: string; backend?: Partial<Parameters<typeof createBackend>[0]> } = {},
): Promise<TestShop> {
  const clock = { now: new Date(opts.now ?? MONDAY_8AM) };
  const dir = mkdtempSync(join(tmpdir(), 'kd-shop-'));
  const b = createBackend({
    dataDir: dir,
    dbPath: opts.dbPath ?? ':memory:',
    version: 'test',
    transport: 'http',
    log: memoryLogger(),
    now: () => clock.now,
    demoSeed: { full: false },
    // Tests written before payments check out unpaid bookings; payment tests turn the gate on.
    requirePaymentAtHandover: false,
    ...opts.backend,
  });
  const staff = b.db.prepare('SELECT id, role FROM staff').all() as { id: string; role: 'manager' | 'clerk' }[];
  const ctxOf = (role: 'manager' | 'clerk'): CallContext => ({ role, staffId: staff.find((s) => s.role === role)?.id ?? null, transport: 'internal' });
  const manager = ctxOf('manager');
  const clerk = ctxOf('clerk');

  const { ok, fail } = callsOn(b, clerk);
  await ok('settings.update', { timeZone: 'Europe/Amsterdam', locale: 'en-GB', turnaroundMinutes: opts.turnaroundMinutes ?? 60 }, manager);

  return {
    b,
    clock,
    dir,
    manager,
    clerk,
    ok,
    fail,
    vehicle: (over = {}) =>
      ok('vehicles.upsert', { plate: `KD-${plateNo++}-T`, make: 'Volkswagen', model: 'Golf', class: 'compact', odometer: 10_000, fuelEighths: 8, ...over }, manager),
    customer: (over = {}) =>
      ok('customers.upsert', {
        firstName: 'Anna',
        lastName: 'de Vries',
        email: 'anna.devries@example.com',
        phone: '+31 6 1234 5678',
        licenceNumber: '5012345678',
        licenceExpiry: '2031-01-31',
        dateOfBirth: '1985-04-12',
        ...over,
      }),
    count: (table) => (b.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    close: () => b.close(),
  };
}
