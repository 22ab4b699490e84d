import { expect, test } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { settingsTab } from './settingsTabs';
import { controlProblems } from './a11yChecks';

/**
 * Issue 15's limits: scheduled rate-card versions (choose, list, cancel), a goodwill discount at
 * the return that leaves money owed back, the shop's discount PIN threshold, and the demo admin.
 * Its own Keydesk: the last test signs the counter out. Tests run in order.
 */
let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

test('a change saved before a scheduled version asks to cancel or keep it, with both dates; the list shows each version; a scheduled one is cancelled', async ({ page }) => {
  const { raw } = await rpc.ok('rates.get', {});
  const compact = raw.classes.compact;
  if (!compact) throw new Error('demo card has compact');
  // Another manager scheduled new prices for ten days from now.
  const effectiveFrom = new Date(Date.now() + 10 * DAY).toISOString();
  const scheduled = await rpc.ok('rates.schedule', { card: { ...raw, classes: { ...raw.classes, compact: { ...compact, dailyRate: compact.dailyRate + 700 } } }, effectiveFrom });

  await settingsTab(page, harness.launchUrl, 'Rate card');
  const versions = page.getByRole('table', { name: 'Rate card versions' });
  await expect(versions.getByRole('row', { name: new RegExp(`^${scheduled.version} Scheduled`) })).toContainText('Takes effect on');
  await expect(versions.getByRole('row', { name: new RegExp(`^${raw.version} In force`) })).toContainText(`version ${scheduled.version} replaces it on`);

  const card = page.getByRole('form', { name: 'Rate card' });
  await card.getByLabel('Compact Day rate').fill('88.00');
  await page.getByRole('button', { name: 'Preview prices' }).click();
  const preview = page.getByRole('table', { name: 'Price preview' });
  // The draft is numbered after the scheduled version, as saving will number it.
  await expect(preview.getByRole('columnheader', { name: `Draft (v${scheduled.version + 1})` })).toBeVisible();

  await card.getByRole('button', { name: 'Save as new version' }).click();
  const choice = page.getByRole('group', { name: 'A later version is already scheduled' });
  await expect(choice.getByRole('alert')).toContainText(`Your change (version ${scheduled.version + 1}) applies as soon as you save (now, `);
  await expect(choice.getByRole('alert')).toContainText(`but version ${scheduled.version} (from `);
  const save = choice.getByRole('button', { name: 'Save with this choice' });
  await expect(save).toBeDisabled();
  expect((await rpc.ok('rates.versions', {})).versions).toHaveLength(2);
  await choice.getByRole('radio', { name: /^Keep it: your change lasts only until .*, when version \d+ replaces it\.$/ }).check();
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  await save.click();
  await expect(page.getByRole('heading', { name: `Rate card: ${raw.name}, version ${scheduled.version + 1}` })).toBeVisible();
  await expect(versions.getByRole('row', { name: new RegExp(`^${scheduled.version + 1} In force`) })).toContainText(`version ${scheduled.version} replaces it on`);
  await expect(versions.getByRole('row', { name: new RegExp(`^${raw.version} Superseded`) })).toBeVisible();

  // The scheduled version is cancelled before its date, with a reason; it will not take effect.
  await versions.getByRole('button', { name: `Cancel version ${scheduled.version}` }).click();
  const cancel = page.getByRole('form', { name: `Cancel version ${scheduled.version}` });
  await cancel.getByRole('button', { name: `Cancel version ${scheduled.version} for good` }).click();
  await expect(cancel.getByLabel('Reason for cancelling')).toHaveAttribute('aria-invalid', 'true');
  await cancel.getByLabel('Reason for cancelling').fill('Prices agreed again');
  await cancel.getByRole('button', { name: `Cancel version ${scheduled.version} for good` }).click();
  await expect(versions.getByRole('row', { name: new RegExp(`^${scheduled.version} Cancelled`) })).toContainText('cancelled on');
  await expect(versions.getByRole('row', { name: new RegExp(`^${scheduled.version + 1} In force`) })).not.toContainText('replaces it');
  expect((await rpc.ok('rates.upcoming', {})).upcoming).toEqual([]);
});

test('a goodwill discount at the return, after payment: the panel says what is owed back and to refund it', async ({ page }) => {
  const c = await addCustomer(rpc, 'Gwen', 'Goodwill');
  const pickupAt = new Date(Date.now() - 60_000).toISOString();
  const returnAt = new Date(Date.now() + DAY).toISOString();
  const v = await freeVehicle(rpc, pickupAt, returnAt, 'economy');
  const b = await rpc.ok('bookings.create', { customerId: c.id, vehicleId: v.id, pickupAt, returnAt });
  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
  await rpc.ok('bookings.checkOut', { id: b.id, odometer: v.odometer, fuelEighths: v.fuelEighths });
  const back = await rpc.ok('bookings.checkIn', { id: b.id, odometer: v.odometer + 10, fuelEighths: v.fuelEighths });
  if (back.balanceDue.amount > 0) await rpc.ok('payments.cash', { bookingId: b.id, tendered: back.balanceDue.amount });

  await page.goto(harness.launchUrl);
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  await search.fill(b.ref);
  await expect(page.getByRole('option', { selected: true })).toContainText(b.ref);
  await search.press('Enter');
  const panel = page.getByRole('region', { name: 'Discounts and drivers' });
  // Back at the counter: no new driver now, but a discount still can be given.
  await expect(panel.getByRole('form', { name: 'Add a driver' })).toHaveCount(0);
  const discount = panel.getByRole('form', { name: 'Add a discount' });
  await discount.getByRole('radio', { name: 'Fixed amount' }).check();
  await discount.getByLabel('Amount off (EUR)').fill('5');
  await discount.getByLabel('Reason').fill('Goodwill: late desk');
  await discount.getByRole('button', { name: 'Add discount' }).click();
  await expect(panel.getByRole('list', { name: 'Discounts' })).toContainText('Goodwill: late desk');
  const after = await rpc.ok('bookings.adjustments', { bookingId: b.id });
  expect(after.balanceDue.amount).toBeLessThan(0);
  const owed = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(-after.balanceDue.amount / 100);
  await expect(panel.getByRole('status')).toHaveText(new RegExp(`^${owed.replace('.', '\\.')} is owed back to the customer: .* Refund it with Refund… on this booking before closing it\\.$`));
  await expect(page.getByRole('region', { name: 'Payment', exact: true })).toContainText('Owed to customer');
});

test('the discount PIN threshold is a shop setting, checked as typed and by main', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Shop');
  const form = page.getByRole('form', { name: 'Shop settings' });
  const field = form.getByLabel("A clerk's discounts above this share of the price need a manager PIN (%)");
  await expect(field).toHaveValue('10');
  await field.fill('150');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Cannot be above 100 %')).toBeVisible();
  expect((await rpc.ok('settings.get', {})).discountPinThresholdBp).toBe(1000);
  await field.fill('12.5');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await expect.poll(async () => (await rpc.ok('settings.get', {})).discountPinThresholdBp).toBe(1250);
});

test('the demo admin signs in with the PIN the sign-in screen shows, and may make admins', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await expect(page.getByText('the demo admin’s 2580')).toBeVisible();
  await signIn.getByRole('radio', { name: /Demo admin/ }).check();
  await page.keyboard.type('2580');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('banner').getByLabel('Signed in as')).toHaveText('Demo admin (admin)');
  await page.keyboard.press('F6');
  await page.getByRole('tab', { name: 'Staff' }).click();
  await expect(page.getByRole('form', { name: 'Add a member of staff' }).getByLabel('Role').locator('option')).toHaveText(['Clerk', 'Manager', 'Admin']);
});
