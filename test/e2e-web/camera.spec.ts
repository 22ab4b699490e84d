import { expect, test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, freeVehicle, rpcFor } from './rpcHelpers';

/**
 * A photo taken with the PC's camera at check-out. Chromium's fake camera (a test pattern) and
 * its auto-accepted permission prompt stand in for the webcam, in this spec only.
 */
test.use({
  launchOptions: {
    executablePath: process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

let harness: RunningHarness;

test.beforeAll(async () => {
  harness = await startHarnessProcess();
});

test.afterAll(async () => {
  await harness.stop('SIGINT');
});

test('check-out: a photo taken with the camera is kept and shown', async ({ page }) => {
  const rpc = rpcFor(harness);
  const customer = await addCustomer(rpc, 'Jelle', 'Postma');
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + DAY / 4).toISOString();
  const v = await freeVehicle(rpc, from, to);
  const b = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: v.id, pickupAt: from, returnAt: to });

  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(b.ref);
  await page.keyboard.press('Enter');
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await page.getByRole('button', { name: 'Take photo with camera' }).click();
  const preview = page.getByLabel('Camera preview');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Capture photo' }).click();
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Close camera' }).click();
  await expect(preview).toBeHidden();
});
