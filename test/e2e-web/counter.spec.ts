import { expect, test } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';
import { DAY, addCustomer, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

async function bookFor(lastName: string, startInDays: number) {
  const customer = await addCustomer(rpc, 'Mira', lastName);
  const from = new Date(Date.now() + startInDays * DAY).toISOString();
  const to = new Date(Date.now() + (startInDays + 2) * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
}

test('the search box is focused on arrival; a surname prefix and Enter open the booking; Esc comes back', async ({ page }) => {
  const booking = await bookFor('Zeldenrust', 40);
  await page.goto(harness.launchUrl);
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  await expect(search).toBeFocused();

  await page.keyboard.type('zeldenr');
  await expect(page.getByRole('listbox', { name: 'Matching bookings' }).getByRole('option')).toHaveCount(1);
  await expect(page.getByRole('option', { selected: true })).toContainText(booking.ref);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Customer' })).toContainText('Mira Zeldenrust');
  await expect(page.getByRole('table', { name: 'Price breakdown' })).toContainText('Total');

  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await expect(search).toBeFocused();
  // "/" from elsewhere on the page comes back to the search box.
  await page.getByRole('button', { name: 'Refresh' }).focus();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
});

test('arrow keys move through the hits and Enter opens the highlighted one', async ({ page }) => {
  const first = await bookFor('Quackenbos', 42);
  const second = await bookFor('Quackenbos', 46);
  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill('Quackenb');
  const options = page.getByRole('listbox', { name: 'Matching bookings' }).getByRole('option');
  await expect(options).toHaveCount(2);
  const refs = [first.ref, second.ref];
  const top = (await options.nth(0).textContent()) ?? '';
  const other = refs.find((r) => !top.includes(r)) ?? '';
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { selected: true })).toContainText(other);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${other}` })).toBeVisible();
});

test('a search with no match says so instead of opening anything', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill('Xyzzyplugh');
  await expect(page.getByText('No booking matches.')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('No booking matches “Xyzzyplugh”');
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
});

test("today's pickups list a booking due today, and Enter on it opens it", async ({ page }) => {
  const customer = await addCustomer(rpc, 'Tess', 'Oosterwijk');
  // Picked up a moment ago, still today: it must be in today's pickups.
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + 2 * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });

  await page.goto(harness.launchUrl);
  const pickups = page.getByRole('table', { name: /Pickups/ });
  const row = pickups.getByRole('row').filter({ hasText: booking.ref });
  await expect(row).toContainText('Tess Oosterwijk');
  await expect(row).toContainText(vehicle.plate);
  await expect(row).toContainText('Reserved');
  await expect(row).toContainText(/€\d/);
  await row.getByRole('button', { name: `Open booking ${booking.ref} for Tess Oosterwijk` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' })).toBeVisible();
});

test('every control on the counter, booking, form and checklist screens is named and at least 44 px', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Lot', 'Ravensbergen');
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to, 'economy');
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
  const seen: Record<string, { unnamed: string[]; small: string[] }> = {};

  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill('Ravensb');
  await expect(page.getByRole('option')).toHaveCount(1);
  seen.counter = await controlProblems(page);

  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  seen.booking = await controlProblems(page);

  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  seen.cancelDialog = await controlProblems(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('form', { name: 'Check-out checklist' })).toBeVisible();
  seen.checkOut = await controlProblems(page);

  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();
  seen.bookings = await controlProblems(page);

  await page.getByRole('button', { name: /New booking/ }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  await page.getByLabel('Vehicle class').selectOption('economy');
  await expect(page.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio').first()).toBeVisible();
  seen.newBooking = await controlProblems(page);

  for (const [screen, problems] of Object.entries(seen)) {
    expect(problems.unnamed, `unnamed controls on ${screen}`).toEqual([]);
    expect(problems.small, `small targets on ${screen}`).toEqual([]);
  }
});
