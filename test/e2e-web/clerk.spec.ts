// The counter as a clerk meets it (issue 11): each test is one defect from a newcomer's run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { DAY, addCustomer, dateIn, freeVehicle, ownKeydesk } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { fillDateTime, gbDate } from './shopDates';

let harness: RunningHarness;
let rpc: Rpc;
ownKeydesk((h, r) => ((harness = h), (rpc = r)));

async function bookFor(lastName: string, startInDays: number, extra: Parameters<typeof addCustomer>[3] = {}) {
  const customer = await addCustomer(rpc, 'Mira', lastName, extra);
  const from = new Date(Date.now() + startInDays * DAY).toISOString();
  const to = new Date(Date.now() + (startInDays + 1) * DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  return rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
}

async function openByRef(page: Page, ref: string) {
  await page.getByRole('combobox', { name: /Find a booking/ }).fill(ref);
  await expect(page.getByRole('option', { selected: true })).toContainText(ref);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Booking ${ref}` })).toBeVisible();
}

const messages = (page: Page) => page.getByRole('region', { name: 'Messages' });

test('search: one letter asks for two; a full page says it shows the first of more', async ({ page }) => {
  const customer = await addCustomer(rpc, 'Mira', 'Vandermolen');
  for (let i = 0; i < 13; i++) {
    const from = new Date(Date.now() + (120 + 2 * i) * DAY).toISOString();
    const to = new Date(Date.now() + (121 + 2 * i) * DAY).toISOString();
    const vehicle = await freeVehicle(rpc, from, to);
    await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
  }
  await page.goto(harness.launchUrl);
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  await search.fill('v');
  await expect(page.locator('#search-status')).toHaveText('Type at least two characters.');
  await page.keyboard.press('Enter');
  await expect(messages(page).getByRole('alert')).toHaveText(/Type at least two characters/);

  await search.fill('Vandermol');
  await expect(page.getByRole('listbox', { name: 'Matching bookings' }).getByRole('option')).toHaveCount(12);
  await expect(search).toHaveAccessibleDescription(/Showing the first 12 matching bookings; type more to narrow them down/);
});

test('F2 on a booking opened from Bookings shows the list; Ctrl+N from the Counter and Esc come back to the Counter', async ({ page }) => {
  const booking = await bookFor('Oudewater', 3);
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('combobox', { name: /Find a booking/ })).toBeFocused();
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();
  await page.getByRole('button', { name: 'New booking' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();

  // Counter → booking → F2 → F1 → Ctrl+N → Esc: back on the Counter, not on the old booking.
  await page.keyboard.press('F1');
  await openByRef(page, booking.ref);
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();
  await page.keyboard.press('F1');
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();
  // The cursor is in the customer search, ready for a name.
  await expect(page.getByLabel('Find customer')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
});

test('messages belong to their screen; successes do not stack; a fixed field drops its error', async ({ page }) => {
  const first = await bookFor('Ekelmans', 30);
  const second = await bookFor('Ekelmans', 40);
  await page.goto(harness.launchUrl);
  // An error said on the Counter does not follow the clerk into a booking.
  await page.getByRole('combobox', { name: /Find a booking/ }).fill('Xyzzyplugh');
  await expect(page.getByText('No booking matches.')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(messages(page).getByRole('alert')).toBeVisible();
  await openByRef(page, first.ref);
  await expect(messages(page).getByRole('alert')).toHaveCount(0);

  // Two extensions in a row: one success message, the newer one.
  const actions = page.getByRole('toolbar', { name: 'Booking actions' });
  for (const day of [32, 34]) {
    await actions.getByRole('button', { name: 'Extend' }).click();
    const extend = page.getByRole('dialog', { name: `Extend ${first.ref}` });
    await fillDateTime(extend, 'New return (shop time)', 'New return', `${dateIn(day)}T12:00`);
    // The old and the new price, before the clerk confirms.
    await expect(extend.getByRole('status', { name: 'Price change' })).toContainText(/Total now €[\d.,]+; after the change €[\d.,]+ \(\+€[\d.,]+\)/);
    await extend.getByRole('button', { name: 'Extend booking' }).click();
    await expect(extend).toBeHidden();
  }
  await expect(messages(page).getByRole('status')).toHaveCount(1);

  // The next booking opens without the last one's message over it.
  await page.keyboard.press('Escape');
  await openByRef(page, second.ref);
  await expect(messages(page).getByRole('status')).toHaveCount(0);

  // A return before the pickup is refused; fixing the return date drops the error and its message.
  await page.keyboard.press('Control+n');
  await page.getByLabel('Find customer').fill('Ekelm');
  await page.getByRole('button', { name: /^Choose Mira Ekelmans/ }).first().click();
  await page.getByLabel('Vehicle class').selectOption('economy');
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${dateIn(70)}T09:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(72)}T09:00`);
  await page.getByRole('radiogroup', { name: /Available vehicles/ }).getByRole('radio').first().check();
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(69)}T09:00`);
  await page.getByRole('button', { name: 'Save booking' }).click();
  const ret = page.getByLabel('Return (shop time)', { exact: true });
  await expect(ret).toHaveAttribute('aria-invalid', 'true');
  await expect(messages(page).getByRole('alert')).toContainText('Return must be after pickup');
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(72)}T09:00`);
  await expect(messages(page).getByRole('alert')).toHaveCount(0);
  await expect(ret).not.toHaveAttribute('aria-invalid', 'true');
});

test('back to "Any class": the price pane drops the quote for the class left behind', async ({ page }) => {
  await page.goto(harness.launchUrl);
  // The keymap listens once the counter is up (its search box takes focus on arrival).
  await expect(page.getByRole('combobox', { name: /Find a booking/ })).toBeFocused();
  await page.keyboard.press('Control+n');
  await fillDateTime(page, 'Pickup (shop time)', 'Pickup', `${dateIn(80)}T09:00`);
  await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(82)}T09:00`);
  const price = page.getByRole('complementary', { name: 'Price' });
  await page.getByLabel('Vehicle class').selectOption('midsize');
  await expect(price.getByRole('table', { name: 'Quote for the class' })).toContainText('Midsize');
  await page.getByLabel('Vehicle class').selectOption('');
  await expect(price.getByRole('table')).toHaveCount(0);
  await expect(price).toContainText('Choose a class or a vehicle to see the price.');
});

test('the PIN field is announced once, as "PIN"', async ({ page }) => {
  // A counter of its own: signing out here must not sign out the other tests.
  const own = await startHarnessProcess();
  try {
    await page.goto(own.launchUrl);
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('radio', { name: /Demo clerk/ }).check();
    const pin = form.getByLabel('PIN', { exact: true });
    await expect(pin).toBeVisible();
    // Not inside a group also named for the PIN (read out as "PIN PIN").
    await expect(form.getByRole('group', { name: /PIN/ }).filter({ has: pin })).toHaveCount(0);
  } finally {
    await own.stop('SIGINT');
  }
});

test.describe('on a browser set to American English', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

  test('dates and times are typed and shown as the shop writes them: day/month/year, 24-hour', async ({ page }) => {
    await page.goto(harness.launchUrl);
    // The keymap listens once the counter is up (its search box takes focus on arrival).
    await expect(page.getByRole('combobox', { name: /Find a booking/ })).toBeFocused();
    await page.keyboard.press('Control+n');
    const pickup = page.getByLabel('Pickup (shop time)', { exact: true });
    await expect(pickup).toHaveAttribute('placeholder', 'dd/mm/yyyy');
    await expect(pickup).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
    await expect(page.getByLabel('Pickup time', { exact: true })).toHaveValue(/^([01]\d|2[0-3]):[0-5]\d$/);
    // A day that is also a month (the 3rd of the 11th), so a month/day reading would be a valid, wrong date.
    let n = 100;
    while (!(Number(dateIn(n).slice(8, 10)) <= 12 && dateIn(n).slice(8, 10) !== dateIn(n).slice(5, 7))) n++;
    await pickup.fill(gbDate(dateIn(n)));
    await page.getByLabel('Pickup time', { exact: true }).fill('18:30');
    await fillDateTime(page, 'Return (shop time)', 'Return', `${dateIn(n + 2)}T18:30`);
    await page.getByLabel('Vehicle class').selectOption('compact');
    // Read day first: two days, not months.
    await expect(page.getByRole('table', { name: 'Quote for the class' })).toContainText('2 days');
    await page.getByLabel('Pickup time', { exact: true }).blur();
    await expect(page.getByLabel('Pickup time', { exact: true })).toHaveValue('18:30');
    // No native picker anywhere on the form (those follow the browser's locale).
    await expect(page.locator('input[type=date], input[type=time], input[type=datetime-local]')).toHaveCount(0);
  });
});

/**
 * Every element whose box pokes out of the card (fieldset, table) it sits in, by more than a
 * pixel. Run in the page as text: the test's own tsconfig has no DOM types.
 */
const OVERFLOW_SCRIPT = `(() => {
  const out = [];
  for (const card of document.querySelectorAll('.card, fieldset, table')) {
    const c = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > c.right + 1 || r.left < c.left - 1 || r.bottom > c.bottom + 1) {
        out.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || '').trim().slice(0, 40) + '" outside ' + card.tagName.toLowerCase() + '.' + card.className);
      }
    }
  }
  return out;
})()`;

async function overflowing(page: Page): Promise<string[]> {
  return (await page.evaluate(OVERFLOW_SCRIPT)) as string[];
}

test('at 1024×768 and 1920×1080 nothing runs outside its card, and a wide screen is used', async ({ page }, info) => {
  const booking = await bookFor('Zuidervaart-Oppenheimer', 5, {
    email: 'margaretha.zuidervaart-oppenheimer.administratie@voorbeeld-autoverhuur.example.com',
    licenceNumber: 'NLX0123456789ABCDEFGHIJKLMNOPQ',
  });
  const shots = join(info.outputDir, '..', 'layout');
  mkdirSync(shots, { recursive: true });
  for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(harness.launchUrl);
    await openByRef(page, booking.ref);
    await page.screenshot({ path: join(shots, `booking-${width}.png`), fullPage: true });
    expect(await overflowing(page), `booking at ${width}×${height}`).toEqual([]);
    await page.keyboard.press('Control+n');
    await expect(page.getByRole('heading', { level: 1, name: 'New booking' })).toBeVisible();
    await page.screenshot({ path: join(shots, `new-booking-${width}.png`), fullPage: true });
    expect(await overflowing(page), `new booking at ${width}×${height}`).toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.screenshot({ path: join(shots, `counter-${width}.png`), fullPage: true });
    expect(await overflowing(page), `counter at ${width}×${height}`).toEqual([]);
    if (width === 1920) {
      const main = await page.getByRole('main').boundingBox();
      expect(main?.width ?? 0).toBeGreaterThan(1500);
    }
  }
});

test('what the counter shows after a keystroke never waits for, nor is replaced by, a slower earlier search', async ({ page }) => {
  const booking = await bookFor('Oosterbeek-Lamme', 8);
  await page.goto(harness.launchUrl);
  // The answer to the first query is held back until the second has answered and shown.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/rpc/bookings.search', async (route) => {
    const body = route.request().postDataJSON() as { input: { query: string } };
    if (body.input.query === 'Oosterbe') {
      await held;
      // The slow answer claims a different booking list: it must not be shown.
      const res = await route.fetch({ postData: JSON.stringify({ input: { ...body.input, query: 'Ekelmans' } }) });
      await route.fulfill({ response: res });
      return;
    }
    await route.continue();
  });
  const search = page.getByRole('combobox', { name: /Find a booking/ });
  const firstAsked = page.waitForRequest((r) => r.url().includes('/rpc/bookings.search') && (r.postDataJSON() as { input: { query: string } }).input.query === 'Oosterbe');
  await search.fill('Oosterbe');
  const first = await firstAsked;
  await search.fill('Oosterbeek-Lam');
  await expect(page.getByRole('option', { selected: true })).toContainText(booking.ref);
  const lateAnswer = page.waitForResponse((r) => r.request() === first);
  release();
  // The late answer arrives and is dropped: still the newer results.
  await lateAnswer;
  await expect(page.getByRole('listbox', { name: 'Matching bookings' }).getByRole('option')).toHaveCount(1);
  await expect(page.getByRole('option', { selected: true })).toContainText(booking.ref);
});

test("today's board flags a pickup that is late; the palette checks out the booking on screen", async ({ page }) => {
  const customer = await addCustomer(rpc, 'Mira', 'Laatkomer');
  const from = new Date(Date.now() - 10 * 60_000).toISOString();
  const to = new Date(Date.now() + DAY).toISOString();
  const vehicle = await freeVehicle(rpc, from, to);
  const booking = await rpc.ok('bookings.create', { customerId: customer.id, vehicleId: vehicle.id, pickupAt: from, returnAt: to });
  await page.goto(harness.launchUrl);
  const pickups = page.getByRole('table', { name: /^Pickups/ });
  await expect(pickups.getByRole('row').filter({ hasText: booking.ref })).toContainText(/Late 1\d min/);

  await openByRef(page, booking.ref);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('check out');
  await palette.getByRole('option', { name: `Check out ${booking.ref}` }).click();
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: `Check out ${booking.ref}` })).toBeVisible();
});
