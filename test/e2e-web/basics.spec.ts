import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { fillDateTime } from './shopDates';

/**
 * The rental basics a counter expects (issue #11): cancellation fee shown then charged, the
 * palette taking a payment, photos and the damage diagram at check-out, and the rental agreement
 * printed to PDF. Through the screen by roles and labels.
 */

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

const eur = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);
// A real 2×2 PNG (decodable by the browser), as a photo file picked from disk.
const PNG_2PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

/** A booking (demo VAT 21 %: the late-cancellation fee is €25 + VAT = €30.25) over any class with a free car, starting `fromMs` from now. */
async function booking(first: string, last: string, fromMs: number, lengthMs = DAY / 4) {
  const customer = await addCustomer(rpc, first, last);
  const from = new Date(Date.now() + fromMs).toISOString();
  const to = new Date(Date.now() + fromMs + lengthMs).toISOString();
  const v = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: v.id, pickupAt: from, returnAt: to });
}

async function openBooking(page: Page, ref: string) {
  if (page.url().startsWith(harness.url)) await page.keyboard.press('F1');
  else await page.goto(harness.launchUrl);
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
}

const charge = (page: Page) => page.getByRole('region', { name: 'Take payment' });

test('a late cancellation shows the fee before confirming; the fee is then due and taken in cash', async ({ page }) => {
  const b = await booking('Femke', 'Annema', 3 * 3_600_000);
  await openBooking(page, b.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Cancel booking' }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel ${b.ref}?` });
  const fee = dialog.getByRole('status', { name: 'Cancellation fee' });
  await expect(fee).toContainText(`Cancellation fee: ${eur(3025)}`);
  await expect(fee).toContainText('less than 24 hours before pickup');
  await dialog.getByLabel('Reason (required)').fill('Flight cancelled');
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Price breakdown' })).toContainText('Late cancellation fee');
  await expect(page.getByRole('region', { name: 'Payment' }).getByRole('status', { name: 'Balance due' })).toHaveText(eur(3025));

  // Taken like any balance: the Charge panel is open for the fee, and only the fee.
  await page.keyboard.press('F8');
  await charge(page).getByRole('radio', { name: 'Cash' }).check();
  await charge(page).getByLabel('Cash handed over').fill('30.25');
  await page.keyboard.press('Enter');
  await expect(charge(page).getByRole('status', { name: 'Left to pay' })).toHaveText(eur(0));
  expect((await rpc.ok('bookings.get', { id: b.id })).balanceDue.amount).toBe(0);
});

test('the palette takes a payment and prints the receipt of the booking on screen', async ({ page }) => {
  const b = await booking('Gerrit', 'Hoekstra', 2 * DAY);
  await openBooking(page, b.ref);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('take payment');
  await palette.getByRole('option', { name: `Take payment on ${b.ref}` }).click();
  await expect(palette).toBeHidden();
  await expect(charge(page).getByLabel('Amount to take')).toBeFocused();

  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
  await openBooking(page, b.ref);
  await expect(page.getByRole('region', { name: 'Payment' }).getByRole('status', { name: 'Balance due' })).toHaveText(eur(0));
  await page.keyboard.press('Control+k');
  await palette.getByRole('combobox').fill('receipt');
  await palette.getByRole('option', { name: `Print receipt for ${b.ref}` }).click();
  await expect(page.getByRole('dialog', { name: 'Receipt' })).toContainText(b.ref);
});

test('check-out: a damage point marked on the diagram and a photo from a file, both shown on the booking', async ({ page }) => {
  const b = await booking('Hanna', 'Terpstra', -60_000);
  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
  await openBooking(page, b.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Check out ${b.ref}` })).toBeVisible();

  await page.getByRole('button', { name: 'Damage at check-out: click where the damage is' }).click({ position: { x: 70, y: 60 } });
  const note = page.getByLabel('What is at the new mark?');
  await page.getByRole('button', { name: 'Add mark' }).click();
  await expect(page.getByText('Say what the damage is')).toBeVisible();
  await note.fill('Scratch on the bonnet, 5 cm');
  await page.getByRole('button', { name: 'Add mark' }).click();
  await expect(page.getByRole('list', { name: 'Damage at check-out: marks' })).toContainText('Scratch on the bonnet, 5 cm');

  // Not a photo: said so, nothing kept. Then a real PNG.
  await page.getByLabel('Photo file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await expect(page.getByRole('alert').filter({ hasText: 'notes.png could not be read as a photo' })).toBeVisible();
  await page.getByLabel('Photo file').setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: PNG_2PX });
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();

  await page.getByRole('checkbox', { name: /I have seen the licence/ }).check();
  await page.getByRole('checkbox', { name: 'The customer signed the paper agreement instead' }).check();
  await page.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${b.ref}` })).toBeVisible();
  const out = page.getByRole('region', { name: 'Checked out' });
  await expect(out.getByRole('img', { name: 'Damage at check-out: 1 marked' })).toBeVisible();
  await expect(out.getByRole('list', { name: 'Damage at check-out: marks' })).toContainText('Scratch on the bonnet, 5 cm');
  await expect(out.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  const stored = await rpc.ok('bookings.get', { id: b.id });
  expect(stored.checkOut?.photos).toEqual([expect.stringMatching(/^photos\/[0-9A-Z]+\.jpg$/)]);
});

test('the rental agreement renders to PDF with the terms, the lines, the driver and the deposit', async ({ page }) => {
  const { rentalTerms } = await rpc.ok('settings.get', {});
  const b = await booking('Ilse', 'Wiersma', DAY);
  await openBooking(page, b.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Rental agreement' }).click();
  const agreement = page.getByRole('article', { name: `Rental agreement ${b.ref}` });
  await expect(agreement).toContainText('Ilse Wiersma (main driver)');
  await expect(agreement.getByRole('region', { name: 'Deposit' })).toContainText(/held on the renter's card|No deposit|could not be read/);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  await page.emulateMedia({ media: 'screen' });
  const dir = mkdtempSync(join(tmpdir(), 'kd-agreement-'));
  writeFileSync(join(dir, 'a.pdf'), pdf);
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  expect(text).toContain(`Rental agreement ${b.ref}`);
  expect(text).toContain('Ilse Wiersma');
  expect(text).toMatch(/Terms/);
  expect(text).toContain((rentalTerms.split('\n')[0] ?? '').slice(0, 40));
  expect(text).toMatch(/Signature of Ilse Wiersma/);
  expect(text).toContain(eur(b.total.amount));
  // Only the agreement is printed: no navigation, no dialog buttons.
  expect(text).not.toContain('Print agreement');
  expect(text).not.toMatch(/Find a booking/);
});

test('at pickup the car is found by plate and given as a free upgrade; the price stays and the history says so', async ({ page }) => {
  const b = await booking('Kees', 'Bosma', -60_000);
  await rpc.ok('payments.cash', { bookingId: b.id, tendered: b.total.amount });
  const { cars } = await rpc.ok('bookings.assignable', { id: b.id, query: '' });
  const up = cars.find((c) => c.upgrade);
  if (!up) throw new Error('no better car is free');
  await openBooking(page, b.ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await page.getByLabel('Find another car by plate').fill(up.plate.slice(0, 4));
  await page.getByRole('list', { name: 'Free cars' }).getByRole('button', { name: new RegExp(up.plate) }).click();
  const give = page.getByRole('group', { name: `Give ${up.plate}` });
  await give.getByRole('button', { name: 'Give this car' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose whether the customer pays' })).toBeVisible();
  await give.getByRole('radio', { name: /Free upgrade/ }).check();
  await give.getByRole('button', { name: 'Give this car' }).click();
  await expect(page.getByText(`Car now: ${up.plate}`)).toBeVisible();
  const after = await rpc.ok('bookings.get', { id: b.id });
  expect(after.vehicle.plate).toBe(up.plate);
  expect(after.total).toEqual(b.total);
  expect(after.audit.at(-1)?.summary).toMatch(new RegExp(`Free upgrade to .* ${up.plate}`));
});

/** "YYYY-MM-DDTHH:MM" on the demo shop's wall clock (Europe/Amsterdam), `ms` from now. */
function shopLocal(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

test('book by class without choosing a car, then give the car at pickup by its plate', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Lotte', 'Zijlstra');
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('Control+n');
  await page.getByLabel('Find customer').fill('Zijlstra');
  await page.getByRole('button', { name: /^Choose Lotte Zijlstra/ }).click();
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', shopLocal(30 * 60_000));
  await fillDateTime(page, 'Return (shop time)', 'Return', shopLocal(5 * 3_600_000));
  const form = page.getByRole('form', { name: 'New booking' });
  let cls = '';
  for (const c of ['economy', 'compact', 'midsize']) {
    const { vehicles } = await rpc.ok('vehicles.availability', { from: new Date(Date.now() + 30 * 60_000).toISOString(), to: new Date(Date.now() + 5 * 3_600_000).toISOString(), class: c });
    if (vehicles.length >= 2) {
      cls = c;
      break;
    }
  }
  if (!cls) throw new Error('no class has two free cars');
  await form.getByLabel('Vehicle class').selectOption(cls);
  await expect(page.getByRole('note').filter({ hasText: 'No car chosen' })).toBeVisible();
  await page.getByRole('complementary', { name: 'Price' }).getByRole('button', { name: 'Save booking' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Booking KD-/ })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'Booked by class: this car is held' })).toBeVisible();
  const ref = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('Booking ', '');
  const [b] = (await rpc.ok('bookings.list', { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString(), customerId: customer.id })).bookings;
  expect(b?.ref).toBe(ref);
  await rpc.ok('payments.cash', { bookingId: b!.id, tendered: b!.total.amount });

  const other = (await rpc.ok('bookings.assignable', { id: b!.id, query: '' })).cars.find((c) => !c.current && !c.upgrade);
  if (!other) throw new Error('no second car of the class');
  await openBooking(page, ref);
  await page.getByRole('toolbar', { name: 'Booking actions' }).getByRole('button', { name: 'Check out' }).click();
  await page.getByLabel('Find another car by plate').fill(other.plate.slice(-4));
  await page.getByRole('list', { name: 'Free cars' }).getByRole('button', { name: new RegExp(other.plate) }).click();
  await page.getByRole('group', { name: `Give ${other.plate}` }).getByRole('button', { name: 'Give this car' }).click();
  await expect(page.getByText(`Car now: ${other.plate}`)).toBeVisible();
  await page.getByRole('checkbox', { name: /I have seen the licence/ }).check();
  await page.getByRole('checkbox', { name: 'The customer signed the paper agreement instead' }).check();
  await page.getByRole('button', { name: 'Hand over vehicle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Vehicle' })).toContainText(other.plate);
  await expect(page.getByRole('note').filter({ hasText: 'Booked by class' })).toBeHidden();
});
