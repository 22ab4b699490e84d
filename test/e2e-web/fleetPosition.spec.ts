import { expect, test } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, dateIn, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { settingsTab } from './settingsTabs';
import { fillDateTime } from './shopDates';

// A car is where its last rental left it: the Fleet tab after a one-way return, and the booking
// form's car list for a pickup where a one-way rental will have left a car.
let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

async function places() {
  const { locations } = await rpc.ok('locations.list', {});
  const by = (code: string) => {
    const l = locations.find((x) => x.code === code);
    if (!l) throw new Error(`no ${code} location`);
    return l;
  };
  return { ams: by('AMS'), rtm: by('RTM') };
}

test('a one-way rental checked in at Rotterdam shows the car at Rotterdam on the Fleet tab', async ({ page }) => {
  const { ams, rtm } = await places();
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + DAY).toISOString();
  const car = await freeVehicle(rpc, from, to);
  await rpc.ok('vehicles.move', { id: car.id, locationId: ams.id });
  const customer = await addCustomer(rpc, 'Olaf', 'Enkeltje');
  const b = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: from, returnAt: to });
  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.balanceDue.amount });
  await rpc.ok('bookings.checkOut', { id: b.id, odometer: car.odometer, fuelEighths: car.fuelEighths });
  await rpc.ok('bookings.checkIn', { id: b.id, odometer: car.odometer + 80, fuelEighths: car.fuelEighths });

  await settingsTab(page, harness.launchUrl, 'Fleet');
  const row = page.getByRole('table', { name: 'Vehicles' }).getByRole('row', { name: new RegExp(`^${car.plate}\\b`) });
  await expect(row.getByLabel(`Location of ${car.plate}`)).toHaveValue(rtm.id);
  await expect(row.getByLabel(`Location of ${car.plate}`).locator('option:checked')).toHaveText(rtm.name);
});

test('the booking form lists first the car a one-way rental leaves at the pickup, and says where the others will be', async ({ page }) => {
  const { ams, rtm } = await places();
  const [d1, d2, d3] = [dateIn(61), dateIn(63), dateIn(64)];
  const car = await freeVehicle(rpc, `${d1}T10:00:00+01:00`, `${d3}T10:00:00+01:00`, 'compact');
  await rpc.ok('vehicles.move', { id: car.id, locationId: ams.id });
  const customer = await addCustomer(rpc, 'Pien', 'Vooruit');
  await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: car.id, pickupLocationId: ams.id, returnLocationId: rtm.id, pickupAt: `${d1}T10:00:00+01:00`, returnAt: `${dateIn(62)}T10:00:00+01:00` });

  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('Control+n');
  const form = page.getByRole('form', { name: 'New booking' });
  await form.getByLabel('Pickup location').selectOption({ label: rtm.name });
  await form.getByLabel('Vehicle class').selectOption('compact');
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${d2}T10:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${d3}T10:00`);
  const group = form.getByRole('radiogroup', { name: /Available vehicles/ });
  const cars = group.getByRole('radio');
  await expect(group.getByRole('radio', { name: new RegExp(`^${car.plate}`) })).toHaveCount(1);
  // Main's answer for the same window: where each free compact will be at pickup.
  const free = (await rpc.ok('vehicles.availability', { from: `${d2}T10:00:00+01:00`, to: `${d3}T10:00:00+01:00`, class: 'compact', pickupLocationId: rtm.id })).vehicles;
  const away = free.find((v) => v.projectedLocationId !== rtm.id);
  if (!away) throw new Error('every free compact will be at Rotterdam; the demo seed changed');
  const awayAt = (await rpc.ok('locations.list', {})).locations.find((l) => l.id === away.projectedLocationId)?.name ?? '';
  await expect(cars).toHaveCount(free.length);
  const names = await cars.evaluateAll((els) => els.map((el) => el.closest('label')?.textContent ?? ''));
  // The car the one-way rental leaves at Rotterdam carries no note, and every car at Rotterdam comes before any elsewhere.
  const mine = names.findIndex((n) => n.includes(car.plate));
  expect(names[mine]).not.toMatch(/would need moving/);
  const firstAway = names.findIndex((n) => /would need moving/.test(n));
  expect(firstAway).toBeGreaterThan(mine);
  expect(names.slice(firstAway).every((n) => /would need moving/.test(n))).toBe(true);
  // A car elsewhere says where, plainly, and can still be chosen.
  const other = group.getByRole('radio', { name: new RegExp(`^${away.plate}`) });
  await expect(other).toHaveAccessibleName(new RegExp(`At ${awayAt} at pickup — would need moving`));
  await other.check();
  await expect(other).toBeChecked();
  await expect(form.getByText(`At ${awayAt} at pickup — would need moving`).first()).not.toHaveClass(/error|warn/);
});
