import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';
import { DAY, addCustomer, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';

/**
 * Taking money at the counter in demo mode: the simulated reader behind the emulator, driven
 * from the demo reader panel as the customer would present a card. Every step through the
 * screen by roles and labels; what is checked is what the clerk (or the customer) would see.
 */

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

const eur = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);

/** A booking picked up now, so the counter can charge it and hand the keys over. */
async function pickupToday(first: string, last: string) {
  const customer = await addCustomer(rpc, first, last);
  const from = new Date(Date.now() - 60_000).toISOString();
  // A short rental over every class: the demo seed keeps most of the fleet busy over the next days.
  const to = new Date(Date.now() + DAY / 4).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
}

async function openBooking(page: Page, ref: string) {
  // Already in the app: F1 is the clerk's way back to the search (a second goto with the same hash would not reload).
  if (page.url().startsWith(harness.url)) await page.keyboard.press('F1');
  else await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
  await expect(leftToPay(page)).toBeVisible();
}

const charge = (page: Page) => page.getByRole('region', { name: 'Take payment' });
const presentCard = (page: Page, outcome: string) => page.getByRole('group', { name: 'Present a test card' }).getByRole('button', { name: outcome, exact: true }).click();
const leftToPay = (page: Page) => charge(page).getByRole('status', { name: 'Left to pay' });
const waitingForCard = (page: Page) => charge(page).getByRole('status').filter({ hasText: /Waiting for the card/ });

test('pickup paid by card on the simulated reader, then the keys go', async ({ page }) => {
  const booking = await pickupToday('Anouk', 'Kaptein');
  await openBooking(page, booking.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Check out ${booking.ref}` })).toBeVisible();
  await expect(leftToPay(page)).toHaveText(eur(booking.balanceDue.amount));

  // F8 puts the cursor in the amount (the balance due), Enter charges it on the reader.
  await page.keyboard.press('F8');
  await expect(charge(page).getByLabel('Amount to take')).toBeFocused();
  await expect(charge(page).getByLabel('Amount to take')).toHaveValue((booking.balanceDue.amount / 100).toFixed(2));
  await expect(charge(page).getByText('Ready')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toContainText(eur(booking.balanceDue.amount));
  await presentCard(page, 'Approve');

  await expect(page.getByRole('status').filter({ hasText: `Paid ${eur(booking.balanceDue.amount)} by Visa •••• 4242` })).toBeVisible();
  await expect(leftToPay(page)).toHaveText(eur(0));
  const paid = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  expect(paid.payments.map((p) => [p.method, p.status, p.amount.amount])).toEqual([['card_present', 'succeeded', booking.balanceDue.amount]]);

  const out = page.getByRole('form', { name: 'Check-out checklist' });
  await out.getByRole('checkbox', { name: /I have seen the licence/ }).check();
  await out.getByRole('radio', { name: /^Full/ }).check();
  await out.getByRole('checkbox', { name: /signed the paper agreement/ }).check();
  await out.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByText('Out', { exact: true }).first()).toBeVisible();
  const history = page.getByRole('region', { name: 'Payments' });
  await expect(history.getByRole('row').filter({ hasText: 'Visa •••• 4242' })).toContainText('Paid');
});

test('declined, then paid with a second card on the same payment; Esc cancels a card on the reader', async ({ page }) => {
  const booking = await pickupToday('Bram', 'Oosterhuis');
  await openBooking(page, booking.ref);
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toBeVisible();
  await presentCard(page, 'Insufficient funds');

  // One sentence with the next step; nothing charged; Enter tries another card.
  const alert = charge(page).getByRole('alert');
  await expect(alert).toContainText(/not enough funds|insufficient funds/i);
  await expect(alert).toContainText(/another card/);
  await expect(alert).toContainText('was not charged');
  await expect(leftToPay(page)).toHaveText(eur(booking.balanceDue.amount));
  const retry = charge(page).getByRole('button', { name: /^Try another card/ });
  await expect(retry).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toBeVisible();
  await presentCard(page, 'Approve');
  await expect(leftToPay(page)).toHaveText(eur(0));

  // One payment, one PaymentIntent, two tries: the history shows both.
  const after = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  expect(after.payments).toHaveLength(1);
  expect(after.payments[0]?.status).toBe('succeeded');
  const history = page.getByRole('region', { name: 'Payments' });
  await expect(history.getByRole('row').filter({ hasText: 'Try 1' })).toContainText(/Declined.*insufficient funds/);
  await expect(history.getByRole('row').filter({ hasText: 'Try 2' })).toContainText('Approved');

  // Another booking: Esc during the wait cancels on the reader and leaves the clerk on the booking.
  const second = await pickupToday('Bram', 'Oosterhuis-Two');
  await openBooking(page, second.ref);
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('status').filter({ hasText: 'Payment cancelled. Nothing was charged.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${second.ref}` })).toBeVisible();
  await expect(charge(page).getByRole('button', { name: /^Charge .* on the reader$/ })).toBeVisible();
  const cancelled = await rpc.ok('payments.forBooking', { bookingId: second.id });
  expect(cancelled.payments.map((p) => p.status)).toEqual(['canceled']);
  expect(cancelled.balanceDue.amount).toBe(second.balanceDue.amount);
});

test('cash with change: the change due is shown large, and too little cash is refused at the field', async ({ page }) => {
  const booking = await pickupToday('Carla', 'Dijkgraaf');
  const due = booking.balanceDue.amount;
  const handed = (Math.floor(due / 5000) + 1) * 5000;
  await openBooking(page, booking.ref);
  await page.keyboard.press('F8');
  await charge(page).getByRole('radio', { name: 'Cash' }).check();
  const cash = charge(page).getByLabel('Cash handed over');
  await expect(cash).toBeFocused();

  await cash.fill(((due - 100) / 100).toFixed(2));
  await page.keyboard.press('Enter');
  await expect(cash).toHaveAccessibleDescription(/less than/);
  expect((await rpc.ok('payments.forBooking', { bookingId: booking.id })).payments).toHaveLength(0);

  await cash.fill(String(handed / 100));
  await page.keyboard.press('Enter');
  const change = charge(page).getByRole('status', { name: 'Change due' });
  await expect(change).toContainText(eur(handed - due));
  await expect(change).toContainText(`from ${eur(handed)} handed over`);
  await expect(leftToPay(page)).toHaveText(eur(0));
  // Large enough to read across the counter (3rem).
  await expect(change.locator('output')).toHaveCSS('font-size', '48px');
  const history = page.getByRole('region', { name: 'Payments' });
  await expect(history.getByRole('row').filter({ hasText: 'Cash' })).toContainText(`Tendered ${eur(handed)}, change ${eur(handed - due)}`);
});

test('half by card, half in cash: the balance is shown after each part', async ({ page }) => {
  const booking = await pickupToday('Daan', 'Verhoeven');
  const due = booking.balanceDue.amount;
  const half = Math.floor(due / 2);
  await openBooking(page, booking.ref);
  await page.keyboard.press('F8');
  await charge(page).getByLabel('Amount to take').fill((half / 100).toFixed(2));
  await expect(charge(page).getByRole('button', { name: `Charge ${eur(half)} on the reader` })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toContainText(eur(half));
  await presentCard(page, 'Approve');
  await expect(leftToPay(page)).toHaveText(eur(due - half));
  await expect(page.getByRole('status', { name: 'Balance due' })).toHaveText(eur(due - half));

  // The amount resets to what is left; cash for exactly that.
  await expect(charge(page).getByLabel('Amount to take')).toHaveValue(((due - half) / 100).toFixed(2));
  await charge(page).getByRole('radio', { name: 'Cash' }).check();
  await charge(page).getByLabel('Cash handed over').fill(((due - half) / 100).toFixed(2));
  await page.keyboard.press('Enter');
  await expect(charge(page).getByRole('status', { name: 'Change due' })).toContainText(eur(0));
  await expect(leftToPay(page)).toHaveText(eur(0));
  await expect(page.getByRole('status', { name: 'Balance due' })).toHaveText(eur(0));
  const all = await rpc.ok('payments.forBooking', { bookingId: booking.id });
  expect(all.payments.map((p) => [p.method, p.status, p.amount.amount])).toEqual([
    ['card_present', 'succeeded', half],
    ['cash', 'succeeded', due - half],
  ]);
});

test('the receipt is shown, printed with the print stylesheet, and rendered to a one-page PDF', async ({ page }) => {
  const booking = await pickupToday('Eva', 'Lindqvist');
  await openBooking(page, booking.ref);
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await presentCard(page, 'Approve');
  await expect(leftToPay(page)).toHaveText(eur(0));
  const paid = (await rpc.ok('payments.forBooking', { bookingId: booking.id })).payments[0];
  if (!paid?.stripePaymentIntentId) throw new Error('no PaymentIntent recorded');

  await page.getByRole('button', { name: 'Show and print receipt' }).click();
  const receipt = page.getByRole('article', { name: `Receipt ${booking.ref}` });
  await expect(receipt).toContainText(booking.ref);
  await expect(receipt).toContainText('Eva Lindqvist');
  await expect(receipt).toContainText('Visa •••• 4242');
  await expect(receipt).toContainText(paid.stripePaymentIntentId);
  if (paid.authCode) await expect(receipt).toContainText(`Auth code ${paid.authCode}`);
  await expect(receipt.getByRole('row', { name: /^Total/ })).toContainText(eur(booking.total.amount));

  // In web mode Print is the browser's print.
  // (Plain-text scripts: the test project compiles without the DOM library.)
  await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; };');
  await page.getByRole('button', { name: 'Print receipt' }).click();
  expect(await page.evaluate('window.printed')).toBe(1);

  // Print media: only the receipt is on paper.
  await page.emulateMedia({ media: 'print' });
  await expect(receipt).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print receipt' })).toBeHidden();
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
  expect(pages).toHaveLength(1);

  // The same page without the receipt prints the whole booking over several pages: the stylesheet did the work.
  await page.emulateMedia({ media: 'screen' });
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();
  const whole = await page.pdf({ format: 'A4' });
  expect((whole.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length).toBeGreaterThan(1);
});

test('check-out asks for the balance before the keys go; a manager PIN and a reason hand over unpaid', async ({ page }) => {
  const booking = await pickupToday('Femke', 'Rozendaal');
  await openBooking(page, booking.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  const out = page.getByRole('form', { name: 'Check-out checklist' });
  await out.getByRole('checkbox', { name: /I have seen the licence/ }).check();
  await out.getByRole('radio', { name: /^Full/ }).check();
  await out.getByRole('checkbox', { name: /signed the paper agreement/ }).check();
  await out.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `${eur(booking.balanceDue.amount)} is still due` })).toBeVisible();
  expect((await rpc.ok('bookings.get', { id: booking.id })).status).toBe('reserved');

  await page.getByRole('button', { name: /Hand over unpaid/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand over with a balance due?' });
  await dialog.getByLabel('Manager PIN').fill('9999');
  await dialog.getByLabel('Reason (required)').fill('Company account, invoiced monthly');
  await dialog.getByRole('button', { name: 'Approve handover' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expect(dialog.getByLabel('Manager PIN')).toHaveValue('');
  await dialog.getByLabel('Manager PIN').fill('1234');
  await dialog.getByRole('button', { name: 'Approve handover' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('note').filter({ hasText: 'Company account, invoiced monthly' })).toBeVisible();

  await out.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${booking.ref}` })).toBeVisible();
  await expect(page.getByText('Out', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Payments' })).toContainText('Company account, invoiced monthly');
});

test('every control on the payment screens is named and at least 44 px', async ({ page }) => {
  const booking = await pickupToday('Gijs', 'Haverkamp');
  const seen: Record<string, { unnamed: string[]; small: string[] }> = {};
  await openBooking(page, booking.ref);
  await page.keyboard.press('F8');
  seen.chargeCard = await controlProblems(page);
  await charge(page).getByRole('radio', { name: 'Cash' }).check();
  seen.chargeCash = await controlProblems(page);
  await charge(page).getByRole('radio', { name: 'Card on the reader' }).check();
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect(waitingForCard(page)).toBeVisible();
  seen.waiting = await controlProblems(page);
  await presentCard(page, 'Expired card');
  await expect(charge(page).getByRole('alert')).toBeVisible();
  seen.declined = await controlProblems(page);
  await page.keyboard.press('Enter');
  await presentCard(page, 'Approve');
  await expect(leftToPay(page)).toHaveText(eur(0));
  seen.paid = await controlProblems(page);
  await page.getByRole('button', { name: 'Show and print receipt' }).click();
  await expect(page.getByRole('article')).toBeVisible();
  seen.receipt = await controlProblems(page);
  await page.keyboard.press('Escape');
  const unpaid = await pickupToday('Gijs', 'Haverkamp-Two');
  await openBooking(page, unpaid.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await page.getByRole('button', { name: /Hand over unpaid/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  seen.handover = await controlProblems(page);
  for (const [screen, p] of Object.entries(seen)) {
    expect(p.unnamed, `${screen}: controls without a name`).toEqual([]);
    expect(p.small, `${screen}: targets under 44 px`).toEqual([]);
  }
});
