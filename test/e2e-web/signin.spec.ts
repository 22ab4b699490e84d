import { expect, test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { controlProblems } from './a11yChecks';

// The counter has one session: this file signs it out, so it runs its own Keydesk.
let harness: RunningHarness;

test.beforeAll(async () => {
  harness = await startHarnessProcess();
});

test.afterAll(async () => {
  await harness.stop('SIGINT');
});

test('sign out, a wrong PIN says how many tries are left, the right PIN signs in', async ({ page }) => {
  await page.goto(harness.launchUrl);
  const banner = page.getByRole('banner');
  await expect(banner.getByLabel('Signed in as')).toHaveText('Demo manager (manager)');
  await banner.getByRole('button', { name: 'Sign out' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  // Shortcuts do nothing while signed out.
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('radio', { name: /Demo manager/ }).check();
  // The PIN pad is for fingers: every key named and at least 44 px.
  expect(await controlProblems(page)).toEqual({ unnamed: [], small: [] });
  await page.keyboard.type('9876');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText(/Wrong PIN\. 4 tries left/);
  await expect(form.getByLabel('PIN', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  for (const d of ['1', '2', '3', '4']) await form.getByRole('button', { name: `Digit ${d}` }).click();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await expect(banner.getByLabel('Signed in as')).toHaveText('Demo manager (manager)');
  await expect(page.getByRole('combobox', { name: /Find a booking/ })).toBeFocused();
});
