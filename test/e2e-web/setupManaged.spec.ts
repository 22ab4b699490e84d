import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';

// The office's managed configuration, as a mass install sets it: shown locked in Settings and setup.
let harness: RunningHarness;

test.beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kd-managed-')), 'managed-config.json');
  writeFileSync(file, JSON.stringify({ relayUrl: 'https://relay.example.com', location: 'Airport desk', updateChannel: 'beta' }));
  harness = await startHarnessProcess({ KEYDESK_MANAGED_CONFIG: file });
});

test.afterAll(async () => {
  await harness?.stop('SIGINT');
});

test('what the office sets is shown locked in Settings and cannot be changed in setup', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
  const summary = page.getByRole('region', { name: 'Counter setup' });
  await expect(summary).toContainText('Relay address');
  await expect(summary).toContainText('https://relay.example.com');
  await expect(summary).toContainText('Update channel');
  await expect(summary).toContainText('beta');
  await expect(summary.getByText(/locked by the office/).first()).toBeVisible();

  await summary.getByRole('button', { name: 'Set up this counter…' }).click();
  const form = page.getByRole('form', { name: 'Counter setup' });
  await expect(form.getByLabel(/^Relay address/)).toBeDisabled();
  await expect(form.getByLabel(/^Relay address/)).toHaveValue('https://relay.example.com');
  await expect(form.getByLabel(/^Location/)).toBeDisabled();
  await expect(form.getByLabel(/^Location/)).toHaveValue('Airport desk');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});
