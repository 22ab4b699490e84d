import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPayShop } from '../testing/paymentsTestKit';
import type { PayShop } from '../testing/paymentsTestKit';
import { startHttpTransport } from './httpTransport';

/** The served page's CSP: locked to 'self', opened for the Terminal SDK's origin only while terminal-js is the driver. */

let shop: PayShop;
afterEach(async () => shop?.shutdown());

describe('the page CSP follows the reader driver', () => {
  it('opens script-src and connect-src for the SDK origin only in terminal-js mode', async () => {
    shop = await openPayShop();
    const rendererDir = join(mkdtempSync(join(tmpdir(), 'kd-csp-')), 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>k</title>');
    const http = await startHttpTransport({ backend: shop.b, rendererDir });
    try {
      const csp = async () => (await fetch(http.url)).headers.get('content-security-policy') ?? '';
      const emu = shop.emulator.url;
      const locked = await csp();
      expect(locked).toContain("script-src 'self';");
      expect(locked).toContain("connect-src 'self';");
      expect(locked).not.toContain(emu);
      await shop.ok('settings.update', { readerDriver: 'terminal-js' }, shop.manager);
      const open = await csp();
      expect(open).toContain(`script-src 'self' ${emu};`);
      expect(open).toContain(`connect-src 'self' ${emu};`);
      expect(open).toContain("object-src 'none'");
      await shop.ok('settings.update', { readerDriver: 'simulated' }, shop.manager);
      expect(await csp()).toBe(locked);
    } finally {
      await http.close();
    }
  });
});
