import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';
import { DAY, addCustomer, freeVehicle, rpcFor } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';

/**
 * Deposits in demo mode, through the screen: the hold at pickup on the simulated reader, the
 * return's extras captured from it, damage above it charged separately, and a phone booking paid
 * by link on the emulator's Checkout page. Setup that another counter could have done goes
 * through rpc; what is checked is what the clerk sees.
 */
let harness: RunningHarness;
let rpc: Rpc;
test.beforeAll(async () => {
  harness = await startHarnessProcess();
  rpc = rpcFor(harness);
});
test.afterAll(async () => harness.stop('SIGINT'));

const eur = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);
const shots = (name: string) => `test-results/deposits-${name}.png`;

async function booking(first: string, last: string, startsIn = -60_000, lengthMs = DAY / 4) {
  const customer = await addCustomer(rpc, first, last);
  const from = new Date(Date.now() + startsIn).toISOString();
  const to = new Date(Date.now() + startsIn + lengthMs).toISOString();
  const v = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: v.id, pickupAt: from, returnAt: to });
}

async function readerId() {
  const list = await rpc.ok('readers.list', {});
  return list.readers.find((r) => r.selected)!.id;
}

/** Another counter's work: pay the rental and hold the deposit on the reader (demo taps). */
async function paidAndHeld(bookingId: string) {
  const reader = await readerId();
  if ((await rpc.ok('payments.forBooking', { bookingId })).balanceDue.amount > 0) {
    const p = await rpc.ok('payments.startCard', { bookingId });
    await rpc.ok('readers.simulate', { readerId: reader, outcome: 'approve' });
    await expect.poll(async () => (await rpc.ok('payments.get', { paymentId: p.id })).status).toBe('succeeded');
  }
  await rpc.ok('deposits.startHold', { bookingId });
  await rpc.ok('readers.simulate', { readerId: await readerId(), outcome: 'approve' });
  await expect.poll(async () => (await rpc.ok('deposits.forBooking', { bookingId })).active?.state).toBe('held');
}

async function openBooking(page: Page, ref: string) {
  if (page.url().startsWith(harness.url)) await page.keyboard.press('F1');
  else await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
}

const deposit = (page: Page) => page.getByRole('region', { name: 'Deposit' });
const history = (page: Page) => deposit(page).getByRole('list', { name: 'Deposit history' });
/** The booking's payment history table: a hold is a "Deposit hold" row there, not a card payment. */
const holdRow = (page: Page) => page.getByRole('region', { name: 'Payments' }).getByRole('row', { name: /Deposit hold/ });

test('pickup with a deposit held on the simulated reader; the reason is shown and the balance is not touched', async ({ page }) => {
  const b = await booking('Sanne', 'Visser');
  const need = await rpc.ok('deposits.forBooking', { bookingId: b.id });
  await openBooking(page, b.ref);
  await expect(deposit(page)).toContainText(`${eur(need.required.amount)} required`);
  await expect(deposit(page)).toContainText(need.reason);
  await deposit(page).getByRole('button', { name: `Hold ${eur(need.required.amount)} on the reader` }).click();
  await expect(deposit(page).getByRole('status')).toContainText('Waiting for the card on the reader');
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  await deposit(page).getByRole('group', { name: 'Demo card reader (deposit)' }).getByRole('button', { name: 'Approve card' }).click();
  await expect(deposit(page).getByText(new RegExp(`Held ${eur(need.required.amount).replace('.', '\\.')} on VISA •4242, until .* \\(extended authorization\\)`))).toBeVisible();
  await expect(holdRow(page)).toContainText(`${eur(need.required.amount)} held`);
  await expect(page.getByRole('region', { name: 'Payments' })).not.toContainText('Card (reader)');
  await page.screenshot({ path: shots('held'), fullPage: true });
  const held = await rpc.ok('deposits.forBooking', { bookingId: b.id });
  expect(held.active).toMatchObject({ state: 'held', extended: true });
  expect(held.active!.captureBefore).not.toBeNull();
  // The hold is not a payment: the rental is still to pay.
  expect((await rpc.ok('payments.forBooking', { bookingId: b.id })).balanceDue.amount).toBe(b.balanceDue.amount);
});

test('return late with less fuel: the extras are captured from the hold and the rest released', async ({ page }) => {
  const today = await rpc.ok('counter.today', {});
  const late = today.overdue.find((x) => x.status === 'checked_out');
  test.skip(!late, 'the demo shop has no overdue rental right now');
  const b = late!;
  await paidAndHeld(b.id);
  const out = (await rpc.ok('bookings.get', { id: b.id })).checkOut!;
  const back = await rpc.ok('bookings.checkIn', { id: b.id, odometer: out.odometer + 40, fuelEighths: Math.max(0, out.fuelEighths - 3) });
  const kinds = back.quote.lines.map((l) => l.kind);
  expect(kinds).toEqual(expect.arrayContaining(['late_return', 'fuel']));
  const v = await rpc.ok('deposits.forBooking', { bookingId: b.id });
  const capture = v.settlement!.capture.amount;
  expect(capture).toBeGreaterThan(0);
  await openBooking(page, b.ref);
  await expect(deposit(page).getByLabel('Settle the deposit')).toContainText(`Capture ${eur(capture)} from the hold`);
  await page.screenshot({ path: shots('settle'), fullPage: true });
  await deposit(page).getByRole('button', { name: 'Settle deposit' }).click();
  expect(capture).toBeLessThan(v.held.amount);
  await expect(history(page)).toContainText(`Captured ${eur(capture)} of a ${eur(v.held.amount)} hold · released ${eur(v.held.amount - capture)}`);
  await expect(holdRow(page)).toContainText(`${eur(capture)} captured, ${eur(v.held.amount - capture)} released`);
  await page.screenshot({ path: shots('settled'), fullPage: true });
  expect((await rpc.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(Math.max(0, v.settlement!.due.amount - capture));
});

test('return with damage above the hold: the whole hold is captured and the rest is charged on the reader', async ({ page }) => {
  const b = await booking('Daan', 'Mulder');
  await paidAndHeld(b.id);
  const out = await rpc.ok('bookings.checkOut', { id: b.id, odometer: b.vehicle.odometer ?? 0, fuelEighths: 8 });
  await new Promise((r) => setTimeout(r, 20));
  const back = await rpc.ok('bookings.checkIn', { id: b.id, odometer: out.vehicle.odometer + 50, fuelEighths: 8, newDamage: [{ description: 'Rear bumper replaced', amount: 250_000, currency: 'EUR' }] });
  expect(back.balanceDue.amount).toBeGreaterThan(0);
  const v = await rpc.ok('deposits.forBooking', { bookingId: b.id });
  await openBooking(page, b.ref);
  const rest = v.settlement!.remaining.amount;
  expect(rest).toBeGreaterThan(0);
  await expect(deposit(page).getByLabel('Settle the deposit')).toContainText(`${eur(rest)} is still due after that`);
  await deposit(page).getByRole('button', { name: 'Settle deposit' }).click();
  await expect(history(page)).toContainText(`Captured ${eur(v.held.amount)} of a ${eur(v.held.amount)} hold`);
  await expect(holdRow(page)).toContainText(`${eur(v.held.amount)} captured`);
  // The rest: the Charge panel asks for exactly what is left.
  const charge = page.getByRole('region', { name: 'Take payment' });
  await expect(charge.getByRole('status', { name: 'Left to pay' })).toHaveText(eur(rest));
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await page.getByRole('group', { name: 'Present a test card' }).getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(charge.getByRole('status', { name: 'Left to pay' })).toHaveText(eur(0));
  await page.screenshot({ path: shots('damage'), fullPage: true });
});

test('a phone booking paid by link: QR code and link, paid on the Checkout page, the booking updates', async ({ page, context }) => {
  const b = await booking('Fleur', 'Bakker', DAY, DAY * 2);
  await openBooking(page, b.ref);
  await deposit(page).getByRole('button', { name: `Send pay link for ${eur(b.balanceDue.amount)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Pay by link' });
  await expect(dialog.getByRole('img', { name: 'QR code of the pay link' })).toBeVisible();
  const url = await dialog.getByLabel('Link').inputValue();
  expect(url).toMatch(/\/checkout\/cs_/);
  await page.screenshot({ path: shots('paylink') });
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  // The customer pays on their phone (here: a second tab on the emulator's Checkout page).
  const phone = await context.newPage();
  await phone.goto(url);
  await expect(phone.getByRole('heading', { name: `Pay ${(b.balanceDue.amount / 100).toFixed(2)} eur` })).toBeVisible();
  await phone.getByRole('button', { name: 'Pay' }).click();
  await expect(phone.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  // A second tab cannot pay again.
  await phone.goto(url);
  await expect(phone.getByRole('heading', { name: /is complete/ })).toBeVisible();
  await phone.close();
  // Stripe's checkout.session.completed reaches the counter through the relay: the open dialog says so by itself.
  await expect(dialog.getByText('Paid', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(dialog.getByRole('button', { name: 'Check payment' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('region', { name: 'Take payment' }).getByRole('status', { name: 'Left to pay' })).toHaveText(eur(0));
  expect((await rpc.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
});

test('a manager sets the deposit policy in Settings; a bad amount is refused with a sentence and nothing is saved', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('combobox', { name: /Find a booking/ })).toBeFocused();
  await page.keyboard.press('F6');
  const form = page.getByRole('form', { name: 'Deposit policy' });
  await expect(form.getByLabel('Van deposit', { exact: true })).toBeVisible();
  await form.getByLabel('Van deposit', { exact: true }).fill('555.00');
  await form.getByLabel('Van long rental deposit').fill('777.00');
  await form.getByRole('button', { name: 'Save deposit policy' }).click();
  await expect(page.getByText('Deposit policy saved.')).toBeVisible();
  await page.screenshot({ path: shots('policy'), fullPage: true });
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  const policy = await rpc.ok('deposits.policy', {});
  expect(policy.classes.find((c) => c.classCode === 'van')).toEqual({ classCode: 'van', amount: 55_500, longAmount: 77_700 });
  // Bad input: a clear sentence, nothing saved.
  await form.getByLabel('Minimum deposit (EUR)').fill('lots');
  await form.getByRole('button', { name: 'Save deposit policy' }).click();
  await expect(form.getByText(/amount|number/i).first()).toBeVisible();
  expect((await rpc.ok('deposits.policy', {})).minimum).toBe(policy.minimum);
});

test('managers see holds that lapse before the vehicle is due back, on the Counter, and re-authorize from the booking', async ({ page }) => {
  // A 35-day rental: even an extended (30-day) authorization ends before the return.
  const b = await booking('Joris', 'de Graaf', 70 * DAY, 35 * DAY);
  const reader = await readerId();
  await rpc.ok('deposits.startHold', { bookingId: b.id });
  await rpc.ok('readers.simulate', { readerId: reader, outcome: 'approve' });
  await expect.poll(async () => (await rpc.ok('deposits.forBooking', { bookingId: b.id })).active?.state).toBe('held');
  await page.goto(harness.launchUrl);
  const list = page.getByRole('region', { name: 'Deposit holds expiring before return' });
  await expect(list.getByRole('row', { name: new RegExp(b.ref) })).toBeVisible();
  await page.screenshot({ path: shots('expiring'), fullPage: true });
  await list.getByRole('button', { name: `Open ${b.ref}` }).click();
  await expect(deposit(page).getByRole('alert').filter({ hasText: 'lapses before the vehicle is due back' })).toBeVisible();
  await deposit(page).getByRole('button', { name: 'Re-authorize (new hold)' }).click();
  await deposit(page).getByRole('group', { name: 'Demo card reader (deposit)' }).getByRole('button', { name: 'Approve card' }).click();
  // The new hold is in and the old one released; it is still shorter than the rental, so it stays listed.
  await expect(history(page)).toContainText('Released');
  await expect(history(page).getByText('Held', { exact: true })).toBeVisible();
  await page.screenshot({ path: shots('reauthorized'), fullPage: true });
});
