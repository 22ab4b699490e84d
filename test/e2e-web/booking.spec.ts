import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, dateIn, freeVehicle, ownKeydesk } from './rpcHelpers';
import { fillDateTime, gbDate } from './shopDates';
import type { Rpc } from './rpcHelpers';

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

/** Opens the new-booking form the keyboard way. */
async function newBooking(page: Page) {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();
}

async function pickCustomer(page: Page, query: string, name: string) {
  await page.getByLabel('Find customer').fill(query);
  await page.getByRole('button', { name: new RegExp(`^Choose ${name}`) }).click();
  await expect(page.getByRole('region', { name: 'Customer' })).toContainText(name);
}

async function setWindow(page: Page, pickup: string, ret: string) {
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', pickup);
  await fillDateTime(page, 'Return (shop time)', 'Return', ret);
}

test('a new customer and booking: availability, a live quote, then saved', async ({ page }) => {
  await newBooking(page);
  const form = page.getByRole('form', { name: 'New booking' });

  // A customer added without leaving the form.
  await page.getByRole('button', { name: 'New customer' }).click();
  const cust = page.getByRole('form', { name: 'New customer' });
  await cust.getByLabel('First name').fill('Ilse');
  await cust.getByLabel('Last name').fill('Brinkerhoff');
  await cust.getByLabel('Phone').fill('+31 6 1234 5678');
  await cust.getByLabel('Driving licence number').fill('NL7788990011');
  await cust.getByLabel('Licence valid until').fill(gbDate(dateIn(900)));
  await cust.getByLabel('Date of birth').fill('03/02/1990');
  await cust.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('region', { name: 'Customer' })).toContainText('Ilse Brinkerhoff');

  await setWindow(page, `${dateIn(50)}T10:00`, `${dateIn(53)}T10:00`);
  await form.getByLabel('Vehicle class').selectOption('compact');
  const vehicles = form.getByRole('radiogroup', { name: /Available vehicles/ });
  await expect(vehicles.getByRole('radio').first()).toBeVisible();
  await vehicles.getByRole('radio').first().check();
  await form.getByRole('checkbox', { name: /GPS/ }).check();

  const price = page.getByRole('complementary', { name: 'Price' });
  const quote = price.getByRole('table', { name: /Quote for/ });
  await expect(quote).toContainText('Compact');
  await expect(quote).toContainText('GPS');
  await expect(quote.getByRole('row', { name: /Total/ })).toContainText(/€\d/);
  const quotedTotal = (await quote.getByRole('row', { name: /^Total/ }).getByRole('cell').textContent()) ?? '';

  await price.getByRole('button', { name: 'Save booking' }).click();
  const heading = page.getByRole('heading', { level: 1, name: /^Booking KD-/ });
  await expect(heading).toBeVisible();
  await expect(page.getByText('Reserved', { exact: true })).toBeVisible();
  const saved = page.getByRole('table', { name: 'Price breakdown' });
  await expect(saved).toContainText('GPS');
  await expect(saved.getByRole('row', { name: /^Total/ }).getByRole('cell')).toHaveText(quotedTotal);
  await expect(page.getByRole('status', { name: 'Balance due' })).toHaveText(quotedTotal);
  await expect(page.getByRole('status').filter({ hasText: /saved for Ilse Brinkerhoff/ })).toBeVisible();
});

test('a double booking is refused, naming the booking in the way, and nothing is saved', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Noor', 'Achterberg');
  const rival = await addCustomer(rpc, 'Piet', 'Voorhuis');
  await newBooking(page);
  await pickCustomer(page, 'Achterb', 'Noor Achterberg');
  await setWindow(page, `${dateIn(60)}T09:00`, `${dateIn(62)}T09:00`);
  const form = page.getByRole('form', { name: 'New booking' });
  await form.getByLabel('Vehicle class').selectOption('compact');
  const first = form.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio').first();
  await first.check();
  const plate = ((await form.locator('.vehicle-option.on .plate').textContent()) ?? '').trim();
  const vehicles = await rpc.ok('vehicles.list', {});
  const vehicle = vehicles.vehicles.find((v) => v.plate === plate);
  expect(vehicle).toBeDefined();

  // Meanwhile another counter books the same car over the same days.
  const taken = await rpc.ok('bookings.create', {
    customerId: rival.id,
    vehicleId: vehicle?.id ?? '',
    pickupAt: new Date(Date.now() + 59.5 * DAY).toISOString(),
    returnAt: new Date(Date.now() + 63 * DAY).toISOString(),
  });

  await page.getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByRole('alert').filter({ hasText: taken.ref })).toContainText(`${plate} is already booked`);
  await expect(page.getByRole('alert').filter({ hasText: taken.ref })).toContainText('Piet Voorhuis');
  const group = form.getByRole('radiogroup', { name: /Available vehicles/ });
  await expect(group).toHaveAttribute('aria-invalid', 'true');
  await expect(group).toHaveAccessibleDescription(new RegExp(taken.ref));
  await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();
  const mine = await rpc.ok('customers.get', { id: customer.id });
  expect(mine.bookings).toHaveLength(0);
});

test('a return before the pickup, or an oversized note, is refused at the field and nothing is saved', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Jort', 'Kleinhout');
  await newBooking(page);
  await pickCustomer(page, 'Kleinh', 'Jort Kleinhout');
  const form = page.getByRole('form', { name: 'New booking' });
  await form.getByLabel('Vehicle class').selectOption('economy');
  await setWindow(page, `${dateIn(70)}T09:00`, `${dateIn(72)}T09:00`);
  await form.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio').first().check();
  await expect(page.getByRole('table', { name: /Quote for/ })).toBeVisible();

  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(69)}T09:00`);
  await page.getByRole('button', { name: 'Save booking' }).click();
  const ret = page.getByLabel('Return (shop time)');
  await expect(ret).toHaveAttribute('aria-invalid', 'true');
  await expect(ret).toHaveAccessibleDescription('Return must be after pickup');
  await expect(page.getByRole('alert').first()).toContainText('Return: Return must be after pickup');
  await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();

  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(72)}T09:00`);
  await page.getByLabel('Notes').fill('x'.repeat(2001));
  await page.getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByLabel('Notes')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Notes')).toHaveAccessibleDescription(/Notes must be at most 2,000 characters/);
  await expect(page.getByRole('alert').first()).toContainText('Notes: Notes must be at most 2,000 characters');

  const mine = await rpc.ok('customers.get', { id: customer.id });
  expect(mine.bookings).toHaveLength(0);
});

test('check out, then check in a quarter full: the fuel line is added and the balance due shown', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Saar', 'Wolterink');
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + 2 * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
  // The rental is paid before the keys go (the Charge panel's own tests cover paying on screen).
  await rpc.ok('payments.cash', { bookingId: booking.id, tendered: booking.balanceDue.amount });

  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(booking.ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  const bookedTotal = (await page.getByRole('table', { name: 'Price breakdown' }).getByRole('row', { name: /^Total/ }).getByRole('cell').textContent()) ?? '';

  // Check-out: the checklist will not go through until the licence is confirmed and the customer signs.
  await page.getByRole('button', { name: 'Check out' }).click();
  const out = page.getByRole('form', { name: 'Check-out checklist' });
  await out.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(out.getByRole('checkbox', { name: /I have seen the licence/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('heading', { level: 1, name: `Check out ${booking.ref}` })).toBeVisible();
  await out.getByRole('checkbox', { name: /I have seen the licence/ }).check();
  await out.getByRole('radio', { name: /^Full/ }).check();
  const pad = out.getByRole('img', { name: /Signature pad/ });
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('signature pad not on screen');
  await page.mouse.move(box.x + 40, box.y + 90);
  await page.mouse.down();
  await page.mouse.move(box.x + 160, box.y + 40, { steps: 6 });
  await page.mouse.move(box.x + 280, box.y + 110, { steps: 6 });
  await page.mouse.up();
  await expect(out.getByRole('img', { name: 'Signature pad (signed)' })).toBeVisible();
  await out.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByText('Out', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Checked out' })).toContainText('Signed on screen');

  // Check-in with a negative damage charge is refused at the field, nothing saved.
  await page.getByRole('button', { name: 'Check in' }).click();
  const back = page.getByRole('form', { name: 'Check-in checklist' });
  await back.getByLabel('Odometer').fill(String(vehicle.odometer + 240));
  await back.getByRole('radio', { name: /^1\/4/ }).check();
  await back.getByRole('button', { name: 'Add damage item' }).click();
  await back.getByLabel('What and where').fill('Chip in windscreen');
  await back.getByLabel(/Charge/).fill('-40');
  await back.getByRole('button', { name: 'Check in and re-price' }).click();
  await expect(back.getByLabel(/Charge/)).toHaveAccessibleDescription('Amount cannot be negative');
  await back.getByLabel(/Charge/).fill('40.005');
  await back.getByRole('button', { name: 'Check in and re-price' }).click();
  await expect(back.getByLabel(/Charge/)).toHaveAccessibleDescription('EUR amounts have at most 2 decimals');
  expect((await rpc.ok('bookings.get', { id: booking.id })).status).toBe('checked_out');

  await back.getByLabel(/Charge/).fill('40.50');
  // Before saving, the clerk already sees the re-priced lines, the new total and what is left to take.
  const preview = page.getByRole('table', { name: 'Price after check-in' });
  await expect(preview.getByRole('row', { name: /Fuel/ }).first()).toContainText('added at return');
  await expect(preview.getByRole('row', { name: /Chip in windscreen/ })).toContainText('€40.50');
  const previewTotal = (await preview.getByRole('row', { name: /^Total/ }).getByRole('cell').textContent()) ?? '';
  expect(previewTotal).toMatch(/€/);
  expect(previewTotal).not.toBe(bookedTotal);
  // The rental was paid at pickup, so what is left to take is the extras: new total less the booked total.
  const extras = euros(cents(previewTotal) - cents(bookedTotal));
  await expect(page.getByRole('status', { name: 'Balance due after check-in' })).toHaveText(extras);
  expect((await rpc.ok('bookings.get', { id: booking.id })).status).toBe('checked_out');

  await back.getByRole('button', { name: 'Check in and re-price' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByText('Returned', { exact: true })).toBeVisible();
  const breakdown = page.getByRole('table', { name: 'Price breakdown' });
  await expect(breakdown.getByRole('row', { name: /Fuel/ }).first()).toContainText('added at return');
  await expect(breakdown.getByRole('row', { name: /Chip in windscreen/ })).toContainText('€40.50');
  const newTotal = (await breakdown.getByRole('row', { name: /^Total/ }).getByRole('cell').textContent()) ?? '';
  // What was shown before saving is what was saved.
  expect(newTotal).toBe(previewTotal);
  await expect(page.getByRole('status', { name: 'Balance due' })).toHaveText(extras);
  await expect(page.getByRole('status').filter({ hasText: `${booking.ref} is back` })).toContainText(extras);
});

/** "€1,234.50" → 123450 (the shop's en-GB euros). */
function cents(text: string): number {
  return Math.round(Number(text.replace(/[^0-9.-]/g, '')) * 100);
}
function euros(minor: number): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);
}

test('extend, modify, then cancel: a reason is required and Esc only closes the dialog', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Bram', 'Heuvelink');
  const from = new Date(Date.now() + 80 * DAY).toISOString();
  const to = new Date(Date.now() + 82 * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });

  await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill('Heuvelink');
  await expect(page.getByRole('option', { selected: true })).toContainText(booking.ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  const actions = page.getByRole('toolbar', { name: 'Booking actions' });
  const total = () => page.getByRole('table', { name: 'Price breakdown' }).getByRole('row', { name: /^Total/ }).getByRole('cell').textContent();
  const before = await total();

  // Extend by two days: re-priced.
  await actions.getByRole('button', { name: 'Extend' }).click();
  const extend = page.getByRole('dialog', { name: `Extend ${booking.ref}` });
  await fillDateTime(extend, 'New return (shop time)', 'New return', `${dateIn(84)}T12:00`);
  await extend.getByRole('button', { name: 'Extend booking' }).click();
  await expect(extend).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${booking.ref} now returns` })).toBeVisible();
  await expect.poll(total).not.toBe(before);

  // Modify: add a child seat.
  await actions.getByRole('button', { name: 'Modify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Change booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Customer' })).toContainText('Bram Heuvelink');
  await page.getByLabel(/Child seat/).selectOption('1');
  await expect(page.getByRole('table', { name: /Quote for/ })).toContainText('Child seat');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Price breakdown' })).toContainText('Child seat');

  // Cancel: Esc closes the dialog and leaves the booking on screen.
  await actions.getByRole('button', { name: 'Cancel booking' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel ${booking.ref}?` });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();

  await actions.getByRole('button', { name: 'Cancel booking' }).click();
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(dialog.getByLabel('Reason (required)')).toHaveAccessibleDescription('Reason cannot be empty');
  await dialog.getByLabel('Reason (required)').fill('Customer flight cancelled');
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Cancelled', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Cancelled' })).toContainText('Customer flight cancelled');
  await expect(page.getByRole('toolbar', { name: 'Booking actions' })).toHaveCount(0);
});

test('a licence that expires before the return is flagged, and the booking refused naming the customer', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Evi', 'Dorrestijn', { licenceExpiry: dateIn(91) });
  await newBooking(page);
  await pickCustomer(page, 'Dorrest', 'Evi Dorrestijn');
  await setWindow(page, `${dateIn(90)}T09:00`, `${dateIn(94)}T09:00`);
  const customerPanel = page.getByRole('region', { name: 'Customer' });
  await expect(customerPanel.getByRole('note')).toContainText('licence expires before the return date');
  const form = page.getByRole('form', { name: 'New booking' });
  await form.getByLabel('Vehicle class').selectOption('economy');
  await form.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByRole('alert').first()).toContainText("Evi Dorrestijn's driving licence expires on");
  await expect(customerPanel).toContainText('Update the licence details or shorten the booking');
  expect((await rpc.ok('customers.get', { id: customer.id })).bookings).toHaveLength(0);
});
