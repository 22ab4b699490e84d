import type { Locator, Page } from '@playwright/test';

/** "2025-11-30" as the demo shop (en-GB) writes it: "30/11/2025". */
export const gbDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Types "YYYY-MM-DDTHH:MM" into a shop date-and-time field: the date under `label`, the time under "`timeName` time". */
export async function fillDateTime(scope: Page | Locator, label: string, timeName: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(gbDate(value.slice(0, 10)));
  await scope.getByLabel(`${timeName} time`, { exact: true }).fill(value.slice(11, 16));
}
