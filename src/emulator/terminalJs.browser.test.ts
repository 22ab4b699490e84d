import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type EmulatorHarness } from './testHarness';

/**
 * The fake Terminal JS SDK in Chromium, loaded by a <script> tag from a page of another origin
 * (as the app's renderer loads it): CORS, the Host/Origin guard and the script all as a browser
 * sees them. The connection token comes from Node (the app's main process holds the key).
 */
const CHROMIUM = process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium';

let h: EmulatorHarness;
let stripe: Stripe;
let page: Server;
let pageUrl: string;
let browser: Browser;
let location: string;

beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
  location = (await stripe.terminal.locations.create({ display_name: 'Counter', address: { country: 'US' } })).id;
  const html = `<!doctype html><html><head><script src="${h.emulator.url}/terminal-js/v1"></script></head><body>till</body></html>`;
  page = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => page.close(() => r()));
  await h.close();
});

describe('fake Terminal JS SDK in Chromium', () => {
  it('a page of another origin takes a simulated payment and a decline; the admin routes stay closed to it', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.exposeFunction('fetchConnectionToken', async () => (await stripe.terminal.connectionTokens.create({ location })).secret);
      await tab.goto(pageUrl);
      const ok = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', allowed_payment_method_types: ['card_present'] });
      const bad = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', allowed_payment_method_types: ['card_present'] });
      const result = await tab.evaluate(
        async ([okSecret, badSecret, emulatorUrl]) => {
          type Res = { error?: { code: string; decline_code?: string }; [k: string]: unknown };
          const w = globalThis as unknown as { StripeTerminal: { create(p: unknown): Record<string, (...a: unknown[]) => Promise<Res>> }; fetchConnectionToken(): Promise<string> };
          const terminal = w.StripeTerminal.create({ onFetchConnectionToken: () => w.fetchConnectionToken(), onUnexpectedReaderDisconnect: () => undefined });
          const found = (await terminal.discoverReaders!({ simulated: true })) as Res & { discoveredReaders: { id: string }[] };
          const connected = await terminal.connectReader!(found.discoveredReaders[0]);
          (terminal.setSimulatorConfiguration as unknown as (c: unknown) => void)({ testCardNumber: '4242424242424242' });
          const collected = (await terminal.collectPaymentMethod!(okSecret)) as Res & { paymentIntent: unknown };
          const paid = (await terminal.processPayment!(collected.paymentIntent)) as Res & { paymentIntent: { status: string } };
          (terminal.setSimulatorConfiguration as unknown as (c: unknown) => void)({ testCardNumber: '4000000000000002' });
          const collected2 = (await terminal.collectPaymentMethod!(badSecret)) as Res & { paymentIntent: unknown };
          const declined = await terminal.processPayment!(collected2.paymentIntent);
          let admin: string;
          try {
            admin = String((await fetch(`${emulatorUrl}/_emulator/webhook_endpoints`)).status);
          } catch {
            admin = 'blocked';
          }
          return { reader: found.discoveredReaders[0]?.id, connected: !connected.error, paid: paid.paymentIntent?.status, declined: declined.error, admin };
        },
        [ok.client_secret as string, bad.client_secret as string, h.emulator.url] as const,
      );
      expect(result.reader).toBe('SIMULATOR');
      expect(result.connected).toBe(true);
      expect(result.paid).toBe('succeeded');
      expect(result.declined).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
      expect(['403', 'blocked']).toContain(result.admin);
      expect((await stripe.paymentIntents.retrieve(ok.id)).status).toBe('succeeded');
      expect((await stripe.paymentIntents.retrieve(bad.id)).last_payment_error?.decline_code).toBe('generic_decline');
    } finally {
      await context.close();
    }
  });
});
