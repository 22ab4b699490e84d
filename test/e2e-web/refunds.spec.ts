import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, freeVehicle, rpcFor } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';

/**
 * Offline-first refunds in demo mode: the embedded emulator's network is cut (its `networkDown`
 * fault), a manager refunds from the booking, the title bar shows the refund waiting, and when
 * the network returns it turns succeeded with nobody touching anything.
 */

let harness: RunningHarness;
let rpc: Rpc;
let emulatorUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function setNetwork(down: boolean): Promise<void> {
  const res = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: down ? 'POST' : 'DELETE',
    headers: { 'Content-Type': 'application/json' },
    body: down ? JSON.stringify({ faults: [{ kind: 'networkDown' }] }) : undefined,
  });
  expect(res.ok).toBe(true);
}

test.beforeAll(async () => {
  const port = await freePort();
  emulatorUrl = `http://127.0.0.1:${port}`;
  harness = await startHarnessProcess({ KEYDESK_DEMO_EMULATOR_PORT: String(port) });
  rpc = rpcFor(harness);
});

test.afterAll(async () => {
  await setNetwork(false).catch(() => {});
  await harness.stop('SIGINT');
});

const eur = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);

/** A booking paid by card on the demo's simulated reader (setup through rpc, as another counter would). */
async function paidBooking() {
  const customer = await addCustomer(rpc, 'Ilse', 'Brouwer');
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + 2 * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
  const { readers } = await rpc.ok('readers.list', {});
  const reader = readers[0];
  if (!reader) throw new Error('the demo has no simulated reader');
  await rpc.ok('readers.select', { readerId: reader.id });
  const started = await rpc.ok('payments.startCard', { bookingId: booking.id });
  await rpc.ok('readers.simulate', { readerId: reader.id, outcome: 'approve' });
  await expect
    .poll(async () => (await rpc.ok('payments.forBooking', { bookingId: booking.id })).payments.map((p) => p.status), { timeout: 15_000 })
    .toContain('succeeded');
  return { booking, started };
}

test('a manager queues a refund while offline; the title bar shows it waiting; it succeeds by itself when the network returns', async ({ page }) => {
  const { booking } = await paidBooking();
  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(booking.ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();

  await setNetwork(true);
  const refunds = page.getByRole('region', { name: 'Refunds' });
  await refunds.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund' });
  await dialog.getByLabel(/Amount to refund/).fill('20.00');
  await dialog.getByLabel('Reason').selectOption({ label: 'Early return' });
  await dialog.getByRole('button', { name: `Refund ${eur(2000)}` }).click();

  // The receipt says it is queued; the clerk closes it and carries on.
  const receipt = page.getByRole('dialog', { name: 'Refund receipt' });
  await expect(receipt).toContainText('Queued');
  await receipt.getByRole('button', { name: 'Close' }).click();

  const bar = page.getByRole('banner');
  await expect(bar.getByRole('status', { name: 'Refund queue' })).toHaveText('1 waiting', { timeout: 15_000 });
  await expect(bar.getByRole('status', { name: 'Connection' })).toHaveText('Offline', { timeout: 15_000 });

  await page.keyboard.press('F3');
  const row = page.getByRole('row', { name: new RegExp(`Refund ${booking.ref}`) });
  await expect(row).toContainText('Queued');
  await expect(row).toContainText(/Next try/);

  await setNetwork(false);
  // Nobody touches anything: the worker's probe sees Stripe again and sends the refund.
  await expect(row).toContainText('Refunded', { timeout: 30_000 });
  await expect(bar.getByRole('status', { name: 'Refund queue' })).toHaveText('Queue empty');
  await expect(bar.getByRole('status', { name: 'Connection' })).toHaveText('Online');
  const after = await rpc.ok('refunds.options', { bookingId: booking.id });
  expect(after.refunds.map((r) => [r.amount, r.status])).toEqual([[2000, 'succeeded']]);
});
