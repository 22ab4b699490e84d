import { expect, test } from '@playwright/test';
import { startOfficeStack } from '../../src/main/testing/officeStack';
import type { OfficeStack } from '../../src/main/testing/officeStack';
import { startHarnessProcess } from '../support/harnessProcess';
import type { RunningHarness } from '../support/harnessProcess';
import { fakeStripeKey } from '../support/fakeStripeKey';

// First-run setup in test mode, with the emulator standing in for Stripe and a real office relay.
let office: OfficeStack;
let harness: RunningHarness;

test.beforeAll(async () => {
  office = await startOfficeStack();
  harness = await startHarnessProcess({
    KEYDESK_SETUP_ON_FIRST_RUN: '1',
    // Honoured only by the HTTP harness and only on loopback: test mode's Stripe is the emulator.
    KEYDESK_HARNESS_STRIPE_URL: `http://127.0.0.1:${office.stripeOverride.port}`,
  });
});

test.afterAll(async () => {
  await harness?.stop('SIGINT');
  await office?.close();
});

test('first run: test mode set up against Stripe and the relay, ends on the counter with sync live', async ({ page }) => {
  await page.goto(harness.launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up this counter' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip — try the demo shop' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Counter setup' });
  await form.getByRole('radio', { name: /^Test/ }).check();

  // A live key is refused in test mode before it is sent anywhere.
  const key = form.getByLabel(/Stripe secret key/);
  await key.fill(fakeStripeKey('sk_live', '51RealMoneyKey'));
  await form.getByRole('button', { name: 'Check key with Stripe' }).click();
  await expect(form.getByText(/This is a live key/)).toBeVisible();
  await expect(key).toHaveAttribute('aria-invalid', 'true');

  await key.fill(office.apiKey);
  await form.getByRole('button', { name: 'Check key with Stripe' }).click();
  await expect(form.getByText(/Stripe accepted the key/)).toBeVisible();

  await form.getByLabel(/^Location/).fill('Airport desk');
  await form.getByLabel(/^Currency/).selectOption('GBP');
  await form.getByRole('radio', { name: /Simulated reader/ }).check();

  await form.getByLabel(/^Relay address/).fill(office.relayUrl);
  const token = form.getByLabel('Install token for this counter');
  await token.fill('kdi_notthistoken123');
  await form.getByRole('button', { name: 'Check relay' }).click();
  await expect(form.getByText(/refused this install token/)).toBeVisible();
  await token.fill(office.relayToken);
  await form.getByRole('button', { name: 'Check relay' }).click();
  await expect(form.getByText(/opened the stream/)).toBeVisible();

  await form.getByLabel('Manager’s name').fill('Mina Okafor');
  await form.getByLabel('PIN (4 to 8 digits)').fill('482916');
  await form.getByLabel('PIN again').fill('482917');
  await form.getByRole('button', { name: 'Run all checks' }).click();
  await expect(form.getByText('The two PINs differ. Type the same PIN twice.')).toBeVisible();
  await form.getByLabel('PIN again').fill('482916');
  await form.getByRole('button', { name: 'Run all checks' }).click();
  const checks = form.getByRole('list', { name: 'Setup checks' });
  await expect(checks.getByRole('listitem')).toHaveCount(7);
  await expect(checks.getByText('✗')).toHaveCount(0);

  await form.getByRole('button', { name: 'Finish setup and start in test mode' }).click();

  // Main restarts into test mode with its own database: the manager from setup signs in.
  const banner = page.getByRole('banner');
  await expect(banner.getByLabel('Mode')).toHaveText('Test', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  const signIn = page.getByRole('form', { name: 'Sign in' });
  await expect(signIn.getByRole('radio')).toHaveCount(1);
  await signIn.getByRole('radio', { name: /Mina Okafor/ }).check();
  await signIn.getByLabel('PIN', { exact: true }).fill('482916');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await expect(banner.getByLabel('Sync')).toHaveText('Live', { timeout: 30_000 });
  await expect(banner.getByLabel('Connection')).toHaveText('Online', { timeout: 30_000 });

  // Settings shows the mode and how keys are kept, never the key.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Settings/ }).or(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ })).first().click();
  const summary = page.getByRole('region', { name: 'Counter setup' });
  await expect(summary.getByText(/unencrypted/)).toBeVisible();
  expect(await page.content()).not.toContain(office.apiKey);
  expect(await page.content()).not.toContain(office.relayToken);
});
