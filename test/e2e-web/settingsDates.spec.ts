import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { zonedInstant } from '../../src/shared/zonedTime';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';
import { dateIn, rpcFor } from './rpcHelpers';
import type { Rpc } from './rpcHelpers';
import { settingsTab } from './settingsTabs';
import { fillDateTime, gbDate } from './shopDates';

/**
 * Settings (F6) on a browser set to American English: opening hours, the rate card's sample
 * booking and start date, and a vehicle's out-of-service period are typed as the demo shop
 * (en-GB, Europe/Amsterdam) writes them, dd/mm/yyyy and 24-hour, and saved as typed; the
 * opening-hours controls never overlap.
 */
let harness: RunningHarness;
let rpc: Rpc;
const SHOP_ZONE = 'Europe/Amsterdam';

test.beforeAll(async () => {
  harness = await startHarnessProcess();
  rpc = rpcFor(harness);
});

test.afterAll(async () => {
  await harness.stop('SIGINT');
});

test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

/** The instant a shop wall-clock time ("YYYY-MM-DDTHH:MM") happens, as main stores it. */
const shopInstant = (local: string) => new Date(zonedInstant(local.slice(0, 10), Number(local.slice(11, 13)), Number(local.slice(14, 16)), SHOP_ZONE)).toISOString();

/** A date `n` or more days ahead whose day is also a month (≤ 12, not its own month): read month-first it is a valid, wrong date. */
function ambiguousDateFrom(n: number, weekdays: number[] = [0, 1, 2, 3, 4, 5, 6]): number {
  let i = n;
  for (; i < n + 400; i++) {
    const d = dateIn(i);
    const day = Number(d.slice(8, 10));
    if (day <= 12 && d.slice(8, 10) !== d.slice(5, 7) && weekdays.includes(new Date(`${d}T12:00:00Z`).getUTCDay())) return i;
  }
  throw new Error('no ambiguous date within 400 days');
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Boxes of every control (checkbox with its label, time fields) in the opening-hours table. */
async function hourControlBoxes(table: Locator): Promise<{ name: string; x: number; y: number; width: number; height: number }[]> {
  const out: { name: string; x: number; y: number; width: number; height: number }[] = [];
  for (const day of DAYS) {
    for (const [name, loc] of [
      [`Open on ${day}`, table.locator('label', { has: table.page().getByRole('checkbox', { name: `Open on ${day}` }) })],
      [`${day} opens`, table.getByLabel(`${day} opens`, { exact: true })],
      [`${day} closes`, table.getByLabel(`${day} closes`, { exact: true })],
    ] as const) {
      const box = await loc.boundingBox();
      if (!box) throw new Error(`${name} has no box`);
      out.push({ name, ...box });
    }
  }
  return out;
}

function overlaps(boxes: { name: string; x: number; y: number; width: number; height: number }[]): string[] {
  const hits: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (!a || !b) continue;
      // Touching edges are fine; a pixel of real overlap is not.
      if (a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5) hits.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return hits;
}

async function openLocation(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name: `Change ${name}` }).click();
  return page.getByRole('form', { name: `Change ${name}` });
}

test('opening hours are typed 24-hour, one row per day from Monday, checked on their field, saved as typed, and never overlap', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Locations');
  let form = await openLocation(page, 'Eindhoven Airport');
  const table = form.getByRole('table', { name: 'Opening hours' });
  // One row per day, Monday first; no native time picker (it would show 08:00 AM here).
  await expect(table.getByRole('rowheader')).toHaveText(DAYS);
  await expect(form.locator('input[type=time], input[type=date], input[type=datetime-local]')).toHaveCount(0);
  await expect(table.getByLabel('Monday opens', { exact: true })).toHaveValue('08:00');
  await expect(table.getByLabel('Monday closes', { exact: true })).toHaveValue('18:00');

  for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    expect(overlaps(await hourControlBoxes(table)), `${width}×${height}`).toEqual([]);
    // Each day's controls sit on that day's row, in order: open, opens, closes.
    const boxes = await hourControlBoxes(table);
    for (let d = 0; d < 7; d++) {
      const [open, opens, closes] = boxes.slice(d * 3, d * 3 + 3);
      if (!open || !opens || !closes) throw new Error('three controls a day');
      expect(Math.abs(open.y + open.height / 2 - (opens.y + opens.height / 2)), `${DAYS[d]} at ${width}`).toBeLessThan(4);
      expect(open.x + open.width).toBeLessThanOrEqual(opens.x);
      expect(opens.x + opens.width).toBeLessThanOrEqual(closes.x);
    }
    expect(await controlProblems(page), `${width}×${height}`).toEqual({ unnamed: [], small: [] });
  }

  // Keyboard only: tick Monday with Space, type its hours; "7.30" is tidied to 07:30 on leaving.
  await table.getByRole('checkbox', { name: 'Open on Monday' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(table.getByLabel('Monday opens', { exact: true })).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('7.30');
  await page.keyboard.press('Tab');
  await expect(table.getByLabel('Monday opens', { exact: true })).toHaveValue('07:30');
  await expect(table.getByLabel('Monday closes', { exact: true })).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('22:15');
  // Saturday: 12-hour text and a closing time before the opening one, each refused on its field.
  await table.getByRole('checkbox', { name: 'Open on Saturday' }).check();
  await table.getByLabel('Saturday opens', { exact: true }).fill('9:00 AM');
  await table.getByLabel('Saturday closes', { exact: true }).fill('08:00');
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(table.getByLabel('Saturday opens', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Type Saturday’s opening time as hh:mm, 24-hour, e.g. 08:00')).toBeVisible();
  await table.getByLabel('Saturday opens', { exact: true }).fill('09:00');
  await expect(table.getByLabel('Saturday opens', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(table.getByLabel('Saturday closes', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Saturday must close after it opens (09:00)')).toBeVisible();
  expect((await rpc.ok('locations.manage.list', {})).locations.find((l) => l.code === 'EIN')?.openingHours).toEqual([]);

  await table.getByLabel('Saturday closes', { exact: true }).fill('17:00');
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(page.getByText('Eindhoven Airport saved.')).toBeVisible();
  expect((await rpc.ok('locations.manage.list', {})).locations.find((l) => l.code === 'EIN')?.openingHours).toEqual([
    { day: 1, opens: '07:30', closes: '22:15' },
    { day: 6, opens: '09:00', closes: '17:00' },
  ]);
  await expect(page.getByRole('table', { name: 'Locations' }).getByRole('row', { name: /Eindhoven Airport/ })).toContainText('Mon 07:30–22:15, Sat 09:00–17:00');

  // Opened again, the hours read back 24-hour.
  form = await openLocation(page, 'Eindhoven Airport');
  await expect(form.getByLabel('Monday opens', { exact: true })).toHaveValue('07:30');
  await expect(form.getByLabel('Monday closes', { exact: true })).toHaveValue('22:15');
  await expect(form.getByRole('checkbox', { name: 'Open on Tuesday' })).not.toBeChecked();
});

test('the rate card’s sample booking and its start date are typed dd/mm/yyyy and 24-hour, and saved as typed', async ({ page }) => {
  const before = await rpc.ok('rates.get', {});
  await settingsTab(page, harness.launchUrl, 'Rate card');
  await expect(page.locator('input[type=time], input[type=date], input[type=datetime-local]')).toHaveCount(0);
  const preview = page.getByRole('region', { name: 'Preview: now and with your changes' });
  await expect(preview.getByLabel('Sample pickup', { exact: true })).toHaveAttribute('placeholder', 'dd/mm/yyyy');
  await expect(preview.getByLabel('Sample pickup time', { exact: true })).toHaveValue('09:00');

  // Monday to Wednesday (no weekend rate), on a day that is also a month: read month-first it would be months long.
  const n = ambiguousDateFrom(30, [1]);
  await preview.getByLabel('Sample vehicle class').selectOption('compact');
  await fillDateTime(preview, 'Sample pickup', 'Sample pickup', `${dateIn(n)}T18:30`);
  await fillDateTime(preview, 'Sample return', 'Sample return', `${dateIn(n + 2)}T18:30`);
  await preview.getByRole('button', { name: 'Preview prices' }).click();
  const table = page.getByRole('table', { name: 'Price preview' });
  await expect(table.getByRole('row', { name: /Compact/ }).first()).toContainText('2 days × €42.00');

  // New prices from a date and time typed as the shop writes it.
  const card = page.getByRole('form', { name: 'Rate card' });
  await card.getByLabel('Compact Day rate').fill('44.00');
  await card.getByRole('radio', { name: 'From a date and time' }).check();
  const from = `${dateIn(ambiguousDateFrom(20))}T18:30`;
  // Half a date is refused on the field, not saved as "at once".
  await card.getByLabel('New prices apply from (shop time)', { exact: true }).fill(gbDate(from.slice(0, 10)).slice(0, 5));
  await card.getByLabel('Apply from time', { exact: true }).fill('18:30');
  await card.getByRole('button', { name: 'Save as new version' }).click();
  await expect(card.getByLabel('New prices apply from (shop time)', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect((await rpc.ok('rates.upcoming', {})).upcoming).toEqual([]);

  await fillDateTime(card, 'New prices apply from (shop time)', 'Apply from', from);
  await card.getByRole('button', { name: 'Save as new version' }).click();
  await expect(page.getByText(/Rate card saved as a new version that applies from the date you gave/)).toBeVisible();
  const upcoming = (await rpc.ok('rates.upcoming', {})).upcoming;
  expect(upcoming).toHaveLength(1);
  expect(upcoming[0]?.effectiveFrom).toBe(shopInstant(from));
  // The card in force is unchanged until then.
  expect((await rpc.ok('rates.get', {})).raw.version).toBe(before.raw.version);
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
});

test('a vehicle’s out-of-service period is typed dd/mm/yyyy and 24-hour and stored as typed', async ({ page }) => {
  await settingsTab(page, harness.launchUrl, 'Fleet');
  const vehicles = page.getByRole('table', { name: 'Vehicles' });
  const row = vehicles.getByRole('row').nth(1);
  const plate = (await row.getByRole('rowheader').innerText()).trim();
  await row.getByRole('button', { name: /Out of service/ }).click();
  const dialog = page.getByRole('dialog', { name: `Take ${plate} out of service` });
  await expect(dialog.locator('input[type=time], input[type=date], input[type=datetime-local]')).toHaveCount(0);
  await expect(dialog.getByLabel('Out of service from', { exact: true })).toBeFocused();
  const n = ambiguousDateFrom(200);
  const from = `${dateIn(n)}T07:45`;
  const to = `${dateIn(n + 1)}T19:15`;
  await fillDateTime(dialog, 'Out of service from', 'Out of service from', from);
  await fillDateTime(dialog, 'Back in service', 'Back in service', to);
  await dialog.getByLabel('Reason').fill('Tyres');
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  await dialog.getByRole('button', { name: 'Take out of service' }).click();
  await expect(page.getByText(`${plate} is out of service for that period.`)).toBeVisible();
  const vehicle = (await rpc.ok('vehicles.list', {})).vehicles.find((v) => v.plate === plate);
  const { downtime } = await rpc.ok('vehicles.downtime.list', { vehicleId: vehicle?.id ?? '' });
  expect(downtime.map((d) => [d.downtime.from, d.downtime.to])).toEqual([[shopInstant(from), shopInstant(to)]]);
});
