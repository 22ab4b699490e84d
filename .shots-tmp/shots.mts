import { chromium } from 'playwright-core';
import { startHarnessProcess } from '../test/support/harnessProcess';
const h = await startHarnessProcess();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [w, hgt] of [[1280, 800], [1024, 768]]) {
    const p = await b.newPage({ viewport: { width: w, height: hgt } });
    await p.goto(h.launchUrl);
    await p.waitForTimeout(1000);
    await p.keyboard.press('F6');
    for (const tab of ['Staff', 'Fleet', 'Rate card', 'Locations', 'Customers']) {
      await p.getByRole('tab', { name: tab }).click();
      await p.waitForTimeout(500);
      if (tab === 'Rate card') {
        await p.getByLabel('Sample pickup').fill('2026-12-10T09:00');
        await p.getByLabel('Sample return').fill('2026-12-13T09:00');
        await p.getByLabel('Compact Day rate').fill('55.00');
        await p.getByRole('button', { name: 'Preview prices' }).click();
        await p.waitForTimeout(600);
      }
      if (tab === 'Customers') { await p.getByLabel('Find a customer').fill('de'); await p.waitForTimeout(500); }
      await p.screenshot({ path: `/tmp/x/shots/${tab.replace(' ', '')}-${w}.png`, fullPage: tab === 'Rate card' });
    }
    await p.close();
  }
} finally {
  await b.close();
  await h.stop('SIGINT');
}
