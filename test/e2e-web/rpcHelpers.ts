import type { Input, MethodName, Output } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import { test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';

/**
 * Setup for the screen tests, through the same loopback rpc the screens use: "another counter"
 * adding a customer or a booking. What a test checks is always done through the screen.
 */
export type Rpc = {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  /** Like call, but throws with main's sentence when it fails. */
  ok<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
};

/**
 * A spec file's own Keydesk: started before its first test, stopped after its last (SIGINT, as a
 * clerk's Ctrl+C), handed to the file through `use`.
 */
export function ownKeydesk(use: (harness: RunningHarness, rpc: Rpc) => void): void {
  let harness: RunningHarness | null = null;
  test.beforeAll(async () => {
    harness = await startHarnessProcess();
    use(harness, rpcFor(harness));
  });
  test.afterAll(async () => {
    await harness?.stop('SIGINT');
  });
}

export function rpcFor(harness: RunningHarness): Rpc {
  const token = decodeURIComponent(/token=([^&]+)/.exec(harness.launchUrl)?.[1] ?? '');
  const base = harness.url.replace(/\/$/, '');
  const call = async <M extends MethodName>(method: M, input: Input<M>) => {
    const res = await fetch(`${base}/rpc/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ input }),
    });
    return (await res.json()) as Result<Output<M>>;
  };
  return {
    call,
    async ok(method, input) {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
      return r.value;
    },
  };
}

export const DAY = 86_400_000;

/** A calendar date `days` from now (UTC), for typing into date inputs far enough ahead not to matter. */
export function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

export async function addCustomer(rpc: Rpc, firstName: string, lastName: string, extra: Partial<Input<'customers.upsert'>> = {}) {
  return rpc.ok('customers.upsert', {
    firstName,
    lastName,
    phone: '+31 6 5555 0101',
    email: '',
    licenceNumber: `T${Math.floor(Math.random() * 1e9)}`,
    licenceExpiry: dateIn(3 * 365),
    dateOfBirth: '1984-04-12',
    ...extra,
  });
}

const CLASSES = ['compact', 'economy', 'midsize', 'suv', 'van', 'premium'];

/**
 * A vehicle free for the whole window, preferring a full tank (so a fuel shortfall shows at return).
 * With a class, only that class; without, a compact if one is free, else any class: the demo seed
 * keeps most of the fleet busy over the next days, differently each day.
 */
export async function freeVehicle(rpc: Rpc, from: string, to: string, vehicleClass?: string) {
  for (const cls of vehicleClass ? [vehicleClass] : CLASSES) {
    const { vehicles } = await rpc.ok('vehicles.availability', { from, to, class: cls });
    const v = vehicles.find((x) => x.fuelEighths === 8) ?? vehicles[0];
    if (v) return v;
  }
  throw new Error(`no ${vehicleClass ?? 'vehicle of any class'} is free from ${from} to ${to}`);
}
