import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Opens the counter, goes to Settings with F6 as a clerk would, and picks one tab. */
export async function settingsTab(page: Page, launchUrl: string, tab: string): Promise<void> {
  await page.goto(launchUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Counter' })).toBeVisible();
  await page.keyboard.press('F6');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByRole('tab', { name: tab }).click();
}
