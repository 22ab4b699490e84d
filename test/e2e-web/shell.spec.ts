import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
let harness: RunningHarness;

test.beforeAll(async () => {
  harness = await startHarnessProcess();
});

test.afterAll(async () => {
  const code = await harness.stop('SIGINT');
  // Ctrl+C stops it cleanly.
  expect(code).toBe(0);
  expect(harness.output()).toMatch(/Keydesk stopped/);
});

test('shows the mode and version in the title bar', async ({ page }) => {
  await page.goto(harness.launchUrl);
  const banner = page.getByRole('banner');
  await expect(banner.getByRole('status', { name: 'Mode' })).toHaveText('Demo');
  await expect(banner.getByLabel('Version')).toHaveText(`v${version}`);
  // Demo mode runs the whole chain locally: the emulator answers and the relay stream is live.
  await expect(banner.getByRole('status', { name: 'Connection' })).toHaveText('Online');
  await expect(banner.getByRole('status', { name: 'Sync' })).toHaveText('Live');
  // The token is taken out of the address bar once read.
  expect(page.url()).not.toContain('token=');
});

test('navigates with F-keys and the command palette', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('F6');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await palette.getByRole('combobox').fill('refu');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Refunds' })).toBeVisible();
});

test('saves settings, shows the change in the title bar, and explains a bad value', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await page.getByRole('button', { name: /Settings/ }).click();
  const form = page.getByRole('form', { name: 'Shop settings' });
  await form.getByLabel('Shop name').fill('Harbour Car Hire');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Harbour Car Hire');

  await form.getByLabel('Time zone (e.g. Europe/London)').fill('Mars/Olympus');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Check the highlighted fields');
  await expect(form.getByLabel('Time zone (e.g. Europe/London)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Not a known time zone')).toBeVisible();

  // The About panel shows real facts from main.
  await expect(page.getByRole('region', { name: 'About this counter' })).toContainText(harness.dataDir);
});

test('a page without the token is told plainly, not shown a blank screen', async ({ page }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Keydesk cannot reach its services' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Open the address Keydesk printed');
});
