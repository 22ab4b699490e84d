import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';
import { DAY, addCustomer, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';

/**
 * The terminal-js reader driver in Chromium: demo mode with the driver switched through the
 * Charge panel's setting, so this page loads the emulator's stand-in Terminal SDK (its CSP opens
 * for that origin only now) and drives the SDK's simulated reader; main makes the PaymentIntent,
 * hands out its client secret, and asks Stripe after the SDK is done.
 */

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

test.describe.configure({ mode: 'serial' });

const eur = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);

async function pickupToday(first: string, last: string) {
  const customer = await addCustomer(rpc, first, last);
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + DAY / 4).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
}

const charge = (page: Page) => page.getByRole('region', { name: 'Take payment' });
const leftToPay = (page: Page) => charge(page).getByRole('status', { name: 'Left to pay' });
const nextCard = (page: Page, outcome: string) => page.getByRole('group', { name: 'Next card on the reader' }).getByRole('button', { name: outcome, exact: true });
const pageCsp = async () => (await fetch(harness.url)).headers.get('content-security-policy') ?? '';

async function openBooking(page: Page, ref: string) {
  if (page.url().startsWith(harness.url)) await page.keyboard.press('F1');
  else await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
  await expect(leftToPay(page)).toBeVisible();
}

test('switched to terminal-js in settings, a pickup is paid by card through the SDK script', async ({ page }) => {
  const before = await pageCsp();
  expect(before).toContain("script-src 'self';");
  expect(before).toContain("connect-src 'self';");
  const booking = await pickupToday('Sanne', 'Terminal');
  await openBooking(page, booking.ref);

  // The manager (signed in on the demo) picks the driver on the Charge panel; the page reloads to load the SDK.
  await charge(page).getByRole('combobox', { name: 'Reader driver' }).selectOption('terminal-js');
  await expect(charge(page).getByRole('combobox', { name: 'Reader driver' })).toHaveValue('terminal-js');
  expect((await rpc.ok('settings.get', {})).readerDriver).toBe('terminal-js');
  const list = await rpc.ok('readers.list', {});
  expect(list.driver).toBe('terminal-js');
  const sdkOrigin = new URL(list.terminalJs?.scriptUrl ?? 'x:').origin;
  expect(list.terminalJs?.scriptUrl).toMatch(/\/terminal-js\/v1$/);
  const open = await pageCsp();
  expect(open).toContain(`script-src 'self' ${sdkOrigin};`);
  expect(open).toContain(`connect-src 'self' ${sdkOrigin};`);

  await expect(nextCard(page, 'Approve')).toHaveAttribute('aria-pressed', 'true');
  // The page connected the SDK's simulated reader as soon as the panel showed.
  await expect(charge(page).getByRole('status', { name: 'Terminal JS reader' })).toHaveText('Ready');
  await expect(charge(page).getByRole('status', { name: 'Next card' })).toHaveText('Next card: Approve');
  // The driver choice and the next-card buttons are named and big enough to hit.
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `Paid ${eur(booking.balanceDue.amount)} by Visa •••• 4242` })).toBeVisible();
  await expect(leftToPay(page)).toHaveText(eur(0));
  // The SDK loaded from the emulator, under this page's CSP.
  expect(await page.evaluate(() => typeof (globalThis as { StripeTerminal?: unknown }).StripeTerminal)).toBe('object');

  const paid = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  expect(paid.payments.map((p) => [p.method, p.status, p.amount.amount, p.readerId])).toEqual([['card_present', 'succeeded', booking.balanceDue.amount, null]]);
});

test('terminal-js: a declined card, then a second card on the same payment', async ({ page }) => {
  const booking = await pickupToday('Joost', 'Terminal');
  await openBooking(page, booking.ref);
  await expect(charge(page).getByRole('combobox', { name: 'Reader driver' })).toHaveValue('terminal-js');

  await nextCard(page, 'Decline').click();
  await expect(nextCard(page, 'Decline')).toHaveAttribute('aria-pressed', 'true');
  await expect(charge(page).getByRole('status', { name: 'Next card' })).toHaveText('Next card: Decline');
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  const alert = charge(page).getByRole('alert');
  await expect(alert).toContainText(/another card/);
  await expect(alert).toContainText('was not charged');
  await expect(leftToPay(page)).toHaveText(eur(booking.balanceDue.amount));
  const declined = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  const pi = declined.payments[0]?.stripePaymentIntentId;
  expect(declined.payments.map((p) => p.status)).toEqual(['failed']);

  await nextCard(page, 'Approve').click();
  await charge(page).getByRole('button', { name: /^Try another card/ }).click();
  await expect(leftToPay(page)).toHaveText(eur(0));
  const after = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  expect(after.payments).toHaveLength(1);
  expect(after.payments[0]).toMatchObject({ status: 'succeeded', stripePaymentIntentId: pi, cardLast4: '4242' });
  expect(after.payments[0]?.attempts.map((a) => a.outcome)).toEqual(['declined', 'succeeded']);
  const history = page.getByRole('region', { name: 'Payments' });
  await expect(history.getByRole('row').filter({ hasText: 'Try 1' })).toContainText(/Declined/);
  await expect(history.getByRole('row').filter({ hasText: 'Try 2' })).toContainText('Approved');

});

test("back to the demo's server-driven reader: the page's CSP locks again and the SDK is gone", async ({ page }) => {
  const booking = await pickupToday('Femke', 'Terminal');
  await openBooking(page, booking.ref);
  await charge(page).getByRole('combobox', { name: 'Reader driver' }).selectOption('simulated');
  await expect(charge(page).getByRole('combobox', { name: 'Reader driver' })).toHaveValue('simulated');
  const locked = await pageCsp();
  expect(locked).toContain("script-src 'self';");
  expect(locked).toContain("connect-src 'self';");
  await expect(page.getByRole('group', { name: 'Present a test card' })).toBeVisible();
  expect(await page.evaluate(() => typeof (globalThis as { StripeTerminal?: unknown }).StripeTerminal)).toBe('undefined');
  expect((await rpc.ok('readers.list', {})).terminalJs).toBeNull();
});
