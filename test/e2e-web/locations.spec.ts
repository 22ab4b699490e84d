import { expect, test } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { addCustomer, dateIn, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { settingsTab } from './settingsTabs';
import { fillDateTime } from './shopDates';

/**
 * Issue 15, locations govern bookings: a manager gives a second location its own tax and
 * opening hours; a booking there is priced with that tax (named on the price) and refused
 * outside the hours, on the field, with the hours of that day.
 */
let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? '';

test('a manager sets a location’s tax and hours; a booking there shows that tax and is refused outside the hours', async ({ page }) => {
  const pickupDay = dateIn(40);
  const closedDay = dateIn(41);
  const closed = weekdayOf(closedDay);
  await settingsTab(page, harness.launchUrl, 'Locations');
  await page.getByRole('button', { name: 'Change Rotterdam Centraal' }).click();
  const form = page.getByRole('form', { name: 'Change Rotterdam Centraal' });

  // A currency the rate card does not price is refused on its field; nothing is saved.
  await form.getByLabel('Currency').fill('USD');
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(form.getByLabel('Currency')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText(/one rate card prices one currency/)).toBeVisible();
  expect((await rpc.ok('locations.manage.list', {})).locations.find((l) => l.code === 'RTM')?.currency).toBe('');

  await form.getByLabel('Currency').fill('');
  await form.getByLabel('Tax name').fill('BTW');
  await form.getByLabel('Tax rate (%)').fill('9');
  // Open 08:00–18:00 every day but one.
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
    const box = form.getByLabel(`Open on ${day}`);
    if (day === closed) await box.uncheck();
    else await box.check();
  }
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(page.getByText('Rotterdam Centraal saved.')).toBeVisible();
  const rtm = (await rpc.ok('locations.manage.list', {})).locations.find((l) => l.code === 'RTM');
  expect(rtm).toMatchObject({ taxName: 'BTW', taxRateBp: 900 });
  expect(rtm?.openingHours).toHaveLength(6);

  // A booking at Rotterdam, typed at the counter.
  const customer = await addCustomer(rpc, 'Ruud', 'Rotterdammer');
  await page.keyboard.press('F1');
  await page.keyboard.press('Control+n');
  await page.getByLabel('Find customer').fill('Rotterdammer');
  await page.getByRole('button', { name: /^Choose Ruud Rotterdammer/ }).click();
  const booking = page.getByRole('form', { name: 'New booking' });
  await booking.getByLabel('Pickup location').selectOption({ label: 'Rotterdam Centraal' });
  await booking.getByLabel('Vehicle class').selectOption('compact');
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${pickupDay}T19:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${closedDay}T10:00`);
  // Outside the hours: refused on the pickup field with that day's hours, and the closed day on the return.
  await expect(booking.getByText(`Rotterdam Centraal opens 08:00–18:00 on ${weekdayOf(pickupDay)}s; pickup at 19:00`)).toBeVisible();
  await page.getByRole('complementary', { name: 'Price' }).getByRole('button', { name: 'Save booking' }).click();
  await expect(booking.getByText(`Rotterdam Centraal is closed on ${closed}s`)).toBeVisible();
  expect((await rpc.ok('customers.get', { id: customer.id })).bookings).toHaveLength(0);

  // Within the hours: priced with Rotterdam's own tax, named on the price, and saved.
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${pickupDay}T09:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(42)}T17:00`);
  const price = page.getByRole('complementary', { name: 'Price' });
  await expect(price.getByText(/^BTW 9% of €/)).toBeVisible();
  await price.getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Booking KD-/ })).toBeVisible();
  await expect(page.getByText(/^BTW 9% of €/)).toBeVisible();
});
