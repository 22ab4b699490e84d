import { expect, test } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, dateIn, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { settingsTab } from './settingsTabs';
import { fillDateTime, gbDate } from './shopDates';
import { controlProblems } from './a11yChecks';

// The last test signs the counter out, so this file runs its own Keydesk; tests run in order.
let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

test('a manager adds a vehicle, a duplicate plate is refused on its field, and the new vehicle can be booked', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Fleet');
  await page.getByRole('button', { name: 'Add a vehicle' }).click();
  const form = page.getByRole('form', { name: 'Add a vehicle' });
  await form.getByLabel('Plate').fill('ZZ-901-E');
  await form.getByLabel('VIN (17 characters, optional)').fill('WVWZZZ1KZAW123456');
  await form.getByLabel('Make').fill('Volkswagen');
  await form.getByLabel('Model').fill('Transporter');
  await form.getByLabel('Class').selectOption('van');
  await form.getByLabel('Location').selectOption({ label: 'Amsterdam Centraal' });
  await form.getByLabel('Odometer').fill('1200');
  await form.getByLabel('Fuel capacity (litres)').fill('70');
  await form.getByRole('button', { name: 'Add vehicle' }).click();
  const table = page.getByRole('table', { name: 'Vehicles' });
  await expect(table.getByRole('row', { name: /ZZ-901-E/ })).toContainText('Volkswagen Transporter');

  // The same plate again: refused on the plate field, nothing added.
  await page.getByRole('button', { name: 'Add a vehicle' }).click();
  await form.getByLabel('Plate').fill('zz-901-e');
  await form.getByLabel('Make').fill('Ford');
  await form.getByLabel('Model').fill('Transit');
  await form.getByLabel('Class').selectOption('van');
  await form.getByLabel('Odometer').fill('10');
  await form.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(form.getByLabel('Plate')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('ZZ-901-E is already in the fleet')).toBeVisible();
  await expect(table.getByRole('row', { name: /ZZ-901-E/ })).toHaveCount(1);

  // Book it at the counter.
  const customer = await addCustomer(rpc, 'Vera', 'Vanhire');
  await page.keyboard.press('F1');
  await page.keyboard.press('Control+n');
  await page.getByLabel('Find customer').fill('Vanhire');
  await page.getByRole('button', { name: /^Choose Vera Vanhire/ }).click();
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${dateIn(40)}T10:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(42)}T10:00`);
  const booking = page.getByRole('form', { name: 'New booking' });
  await booking.getByLabel('Vehicle class').selectOption('van');
  await booking.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio', { name: /ZZ-901-E/ }).check();
  await page.getByRole('complementary', { name: 'Price' }).getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Booking KD-/ })).toBeVisible();
  const { bookings } = await rpc.ok('customers.get', { id: customer.id });
  expect(bookings.map((b) => b.vehicle.plate)).toEqual(['ZZ-901-E']);
});

test('a manager edits a rate and sees the old and new price side by side before saving a new version', async ({ page }) => {
  const before = await rpc.ok('rates.get', {});
  await settingsTab(page, harness.launchUrl, 'Rate card');
  const card = page.getByRole('form', { name: 'Rate card' });
  // A negative rate is refused on its field and nothing is saved.
  await card.getByLabel('Compact Day rate').fill('-5');
  await page.getByRole('button', { name: 'Preview prices' }).click();
  await expect(card.getByLabel('Compact Day rate')).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByText('Amount cannot be negative')).toBeVisible();

  await card.getByLabel('Compact Day rate').fill('99.00');
  await expect(page.getByLabel('Sample vehicle class')).toHaveValue('compact');
  await page.getByRole('button', { name: 'Preview prices' }).click();
  const preview = page.getByRole('table', { name: 'Price preview' });
  await expect(preview.getByRole('columnheader', { name: `Now (v${before.raw.version})` })).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: `Draft (v${before.raw.version + 1})` })).toBeVisible();
  await expect(preview.getByRole('row', { name: /Compact/ }).first()).toContainText('× €99.00');
  const total = preview.getByRole('row', { name: /^Total/ }).getByRole('cell');
  await expect(total.nth(0)).not.toHaveText(await total.nth(1).innerText());
  expect((await rpc.ok('rates.get', {})).raw.version).toBe(before.raw.version);

  await card.getByRole('button', { name: 'Save as new version' }).click();
  await expect(page.getByRole('heading', { name: `Rate card: ${before.raw.name}, version ${before.raw.version + 1}` })).toBeVisible();
  expect((await rpc.ok('rates.get', {})).raw.classes.compact?.dailyRate).toBe(9900);
});

test('a booking gets a young second driver and a discount; a discount above the price is refused on its field', async ({ page }) => {
  const c = await addCustomer(rpc, 'Dirk', 'Drivers');
  const pickupAt = `${dateIn(60)}T08:00:00.000Z`;
  const returnAt = `${dateIn(63)}T08:00:00.000Z`;
  const { vehicles } = await rpc.ok('vehicles.availability', { from: pickupAt, to: returnAt, class: 'compact' });
  const b = await rpc.ok('bookings.create', { customerId: c.id, vehicleId: vehicles[0]?.id ?? '', pickupAt, returnAt });
  await page.goto(harness.launchUrl);
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  await search.fill(b.ref);
  await expect(page.getByRole('option', { selected: true })).toContainText(b.ref);
  await search.press('Enter');
  const panel = page.getByRole('region', { name: 'Discounts and drivers' });
  const price = page.getByRole('table', { name: 'Price breakdown' });

  const driver = panel.getByRole('form', { name: 'Add a driver' });
  await driver.getByLabel('Driver’s name').fill('Yara Young');
  await driver.getByLabel('Driving licence number').fill('NL445566');
  // Typed as the shop writes dates (dd/mm/yyyy), not as the browser would.
  await driver.getByLabel('Licence valid until').fill(gbDate(dateIn(2000)));
  const dob = new Date(Date.now() - 22 * 365.25 * DAY).toISOString().slice(0, 10);
  await driver.getByLabel('Driver’s date of birth').fill(gbDate(dob));
  await driver.getByRole('button', { name: 'Add driver' }).click();
  await expect(panel.getByRole('list', { name: 'Additional drivers' })).toContainText('Yara Young, 22 at pickup');
  await expect(price).toContainText(/young/i);

  const discount = panel.getByRole('form', { name: 'Add a discount' });
  await discount.getByRole('radio', { name: 'Fixed amount' }).check();
  await discount.getByLabel('Amount off (EUR)').fill('99999');
  await discount.getByLabel('Reason').fill('Goodwill');
  await discount.getByRole('button', { name: 'Add discount' }).click();
  await expect(discount.getByLabel('Amount off (EUR)')).toHaveAttribute('aria-invalid', 'true');
  await expect(discount.getByText(/more than the price/)).toBeVisible();
  expect((await rpc.ok('bookings.adjustments', { bookingId: b.id })).discounts).toEqual([]);

  await discount.getByRole('radio', { name: 'Percentage' }).check();
  await discount.getByLabel('Percentage off').fill('10');
  await discount.getByRole('button', { name: 'Add discount' }).click();
  await expect(panel.getByRole('list', { name: 'Discounts' })).toContainText('10 % off — Goodwill');
  await expect(price).toContainText('Goodwill');
});

test('a manager erases a customer: the booking is anonymised and its payment kept; an open rental is refused', async ({ page }) => {
  const c = await addCustomer(rpc, 'Greta', 'Gonewald', { email: 'greta@example.com' });
  // Picked up a minute ago (earlier today is allowed), so it can be checked in at once.
  const pickupAt = new Date(Date.now() - 60_000).toISOString();
  const returnAt = new Date(Date.now() + DAY).toISOString();
  const v = await freeVehicle(rpc, pickupAt, returnAt, 'economy');
  const b = await rpc.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt, returnAt });
  // Paid in cash at the counter (payments api), then the keys go.
  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
  await rpc.ok('bookings.checkOut', { id: b.id, odometer: v.odometer, fuelEighths: v.fuelEighths });

  await settingsTab(page, harness.launchUrl, 'Customers');
  await page.getByLabel('Find a customer').fill('Gonewald');
  await page.getByRole('button', { name: 'Erase Greta Gonewald…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Erase Greta Gonewald?' });
  await dialog.getByLabel('Reason').fill('Asked by email');
  await dialog.getByRole('button', { name: 'Erase personal data' }).click();
  await expect(dialog.getByText(/has a vehicle out on KD-/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Go back' }).click();

  await rpc.ok('bookings.checkIn', { id: b.id, odometer: v.odometer + 10, fuelEighths: v.fuelEighths });
  await page.getByRole('button', { name: 'Erase Greta Gonewald…' }).click();
  dialog = page.getByRole('dialog', { name: 'Erase Greta Gonewald?' });
  await dialog.getByLabel('Reason').fill('Asked by email');
  await dialog.getByRole('button', { name: 'Erase personal data' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Customers found' }).getByRole('row', { name: /Gonewald/ })).toHaveCount(0);

  // The booking, found by its ref at the counter, names no one and still shows its payment.
  await page.keyboard.press('F1');
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  await search.fill(b.ref);
  await expect(page.getByRole('option', { selected: true })).toContainText(b.ref);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${b.ref}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Customer' })).toContainText('Erased customer');
  await expect(page.getByRole('main').getByText('Greta')).toHaveCount(0);
  await expect(page.getByText('greta@example.com')).toHaveCount(0);
  // Paid in full before the erasure: nothing is due now, so the payment still counts.
  await expect(page.getByRole('status', { name: 'Balance due' })).toHaveText(/€0\.00/);
  const detail = await rpc.ok('bookings.get', { id: b.id });
  expect(detail.customer.name).toBe('Erased customer');
  expect(detail.total.amount).toBeGreaterThan(0);
  const { payments } = await rpc.ok('payments.forBooking', { bookingId: b.id });
  expect(payments.map((p) => [p.amount.amount, p.status])).toEqual([[b.total.amount, 'succeeded']]);
});

test('every control in the office sections is named and at least 44 px; arrow keys move between sections', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Staff');
  await page.getByRole('tab', { name: 'Staff' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Fleet' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Fleet' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Customers', selected: true })).toBeFocused();
  for (const tab of ['Staff', 'Fleet', 'Rate card', 'Locations', 'Customers']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel')).toBeVisible();
    if (tab === 'Customers') {
      await page.getByLabel('Find a customer').fill('de');
      await expect(page.getByRole('table', { name: 'Customers found' }).getByRole('row').nth(1)).toBeVisible();
    }
    if (tab === 'Fleet') await expect(page.getByRole('table', { name: 'Vehicles' }).getByRole('row').nth(1)).toBeVisible();
    expect(await controlProblems(page), tab).toEqual({ unnamed: [], small: [] });
  }
});

test('a manager adds a clerk, who chooses their own PIN at first sign-in', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Staff');
  const add = page.getByRole('form', { name: 'Add a member of staff' });
  await add.getByLabel('Name').fill('Noor Clerk');
  await add.getByLabel('Role').selectOption('clerk');
  await add.getByLabel('Starting PIN').fill('12');
  await add.getByRole('button', { name: 'Add member of staff' }).click();
  await expect(add.getByLabel('Starting PIN')).toHaveAttribute('aria-invalid', 'true');
  await add.getByLabel('Starting PIN').fill('2468');
  await add.getByRole('button', { name: 'Add member of staff' }).click();
  await expect(page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: /Noor Clerk/ })).toContainText('Sets own PIN at next sign-in');
  // A manager cannot make anyone an admin.
  await expect(add.getByLabel('Role').locator('option')).toHaveText(['Clerk', 'Manager']);

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await signIn.getByRole('radio', { name: /Noor Clerk/ }).check();
  await page.keyboard.type('2468');
  await page.keyboard.press('Enter');
  const choose = page.getByRole('form', { name: 'Choose your own PIN' });
  await choose.getByLabel('New PIN', { exact: true }).fill('1357');
  await choose.getByLabel('New PIN again').fill('1375');
  await choose.getByRole('button', { name: 'Save PIN and sign in' }).click();
  await expect(choose.getByRole('alert')).toHaveText(/two new PINs differ/);
  await choose.getByLabel('New PIN again').fill('1357');
  await choose.getByRole('button', { name: 'Save PIN and sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await expect(page.getByRole('banner').getByLabel('Signed in as')).toHaveText('Noor Clerk (clerk)');
  // A clerk sees no office sections.
  await page.keyboard.press('F6');
  await expect(page.getByRole('tab', { name: 'Staff' })).toHaveCount(0);
});
