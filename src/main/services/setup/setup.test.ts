import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SetupPlan } from '../../../shared/contract/setup';
import { startAppHost } from '../../appHost';
import type { AppHost } from '../../appHost';
import type { CallContext } from '../../core/handlers';
import { memoryLogger } from '../../log';
import { plainFileSecretStore } from '../../secrets/secretStore';
import { startOfficeStack } from '../../testing/officeStack';
import type { OfficeStack } from '../../testing/officeStack';
import { waitFor } from '../../../../test/support/waitFor';
import { fakeStripeKey } from '../../../../test/support/fakeStripeKey';

const ANYONE: CallContext = { role: null, staffId: null, transport: 'internal' };
const CLERK: CallContext = { role: 'clerk', staffId: 'x', transport: 'internal' };

let office: OfficeStack;
let host: AppHost | null = null;
let dataDir = '';
let log = memoryLogger();

beforeAll(async () => {
  office = await startOfficeStack();
});
afterAll(async () => {
  await office.close();
});
afterEach(async () => {
  await host?.close();
  host = null;
});

async function start(managed = { config: {}, source: null, locked: [] } as Parameters<typeof startAppHost>[0]['managed']) {
  dataDir = mkdtempSync(join(tmpdir(), 'kd-setup-'));
  host = await startAppHost({
    dataDir,
    version: '0.0.0-test',
    transport: 'http',
    log: (log = memoryLogger()),
    demoSeed: { full: false },
    managed,
    openSecrets: async () => plainFileSecretStore(join(dataDir, 'secrets.json')),
    stripeOverride: office.stripeOverride,
    offerSetupOnFirstRun: true,
  });
  return host;
}

/** The mode running now; null while the host is between modes. */
function modeOf(h: AppHost): string | null {
  try {
    return h.backend.info().mode;
  } catch {
    return null;
  }
}

function plan(over: Partial<SetupPlan> = {}): SetupPlan {
  return { mode: 'test', stripeKey: office.apiKey, relayUrl: office.relayUrl, relayToken: office.relayToken, location: 'Airport desk', currency: 'GBP', reader: 'simulated', manager: { name: 'Mina Okafor', pin: '482916' }, ...over };
}

async function call<T>(h: AppHost, method: string, input: unknown, ctx = ANYONE): Promise<T> {
  const r = await h.backend.call(ctx, method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, fields: r.error.fields });
  return r.value as T;
}

describe('setup checks against the emulator standing in for Stripe', () => {
  it('a first run offers setup, says how keys are kept and stores nothing yet', async () => {
    const h = await start();
    const state = await call<{ firstRun: boolean; showOnStart: boolean; mode: string; secrets: { kind: string; sentence: string } }>(h, 'setup.state', {});
    expect(state).toMatchObject({ firstRun: true, showOnStart: true, mode: 'demo', secrets: { kind: 'plain-file' } });
    expect(state.secrets.sentence).toMatch(/unencrypted/);
  });

  it('accepts the key Stripe issued and refuses one it did not', async () => {
    const h = await start();
    await expect(call(h, 'setup.checkStripeKey', { mode: 'test', stripeKey: office.apiKey })).resolves.toMatchObject({ livemode: false });
    // Stripe answers an unknown key with 401; the emulator does too once it refuses keys it did not issue.
    await expect(call(h, 'setup.checkStripeKey', { mode: 'test', stripeKey: fakeStripeKey('sk_test', 'NotAKeyStripeIssued123') })).rejects.toThrow(/does not recognise this key/);
  });

  it('refuses a live key in test mode and a test key in live mode without sending it', async () => {
    const h = await start();
    await expect(call(h, 'setup.checkStripeKey', { mode: 'test', stripeKey: fakeStripeKey('sk_live', 'abcdef123') })).rejects.toThrow(/live key/);
    await expect(call(h, 'setup.checkStripeKey', { mode: 'live', stripeKey: office.apiKey })).rejects.toThrow(/test key/);
    const { checks, ready } = await call<{ checks: { id: string; ok: boolean }[]; ready: boolean }>(h, 'setup.check', plan({ mode: 'live', reader: 'server-driven' }));
    expect(ready).toBe(false);
    expect(checks.find((c) => c.id === 'mode')?.ok).toBe(false);
    await expect(call(h, 'setup.complete', plan({ mode: 'live', reader: 'server-driven' }))).rejects.toThrow(/Setup is not finished/);
    expect(JSON.parse(readFileSync(join(dataDir, 'install.json'), 'utf8'))).toMatchObject({ mode: 'demo', setupDone: false });
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('checks the relay by opening its stream: a wrong token is refused', async () => {
    const h = await start();
    await expect(call(h, 'setup.checkRelay', { relayUrl: office.relayUrl, relayToken: office.relayToken })).resolves.toMatchObject({ detail: /opened the stream/ });
    await expect(call(h, 'setup.checkRelay', { relayUrl: office.relayUrl, relayToken: 'kdi_wrongwrongwrong' })).rejects.toThrow(/refused this install token/);
    await expect(call(h, 'setup.checkRelay', { relayUrl: 'http://127.0.0.1:9', relayToken: office.relayToken })).rejects.toThrow(/cannot be reached/);
  });

  it('live mode needs every check green: no relay, simulated reader → refused with the checklist', async () => {
    const h = await start();
    const { checks, ready } = await call<{ checks: { id: string; ok: boolean }[]; ready: boolean }>(h, 'setup.check', plan({ mode: 'live', stripeKey: 'sk_live_abc123', relayUrl: '', relayToken: undefined }));
    expect(ready).toBe(false);
    expect(checks.filter((c) => !c.ok).map((c) => c.id).sort()).toEqual(['reader', 'relay', 'stripe']);
  });

  it('completes in test mode: keys in the secret store only, a database of its own, restarts with sync live', async () => {
    const h = await start();
    const demoDb = h.backend.info().dbPath;
    const out = await call<{ restarting: boolean }>(h, 'setup.complete', plan());
    expect(out.restarting).toBe(true);
    await waitFor(() => modeOf(h) === 'test', 15_000, 'restart into test mode');
    expect(h.backend.info().dbPath).not.toBe(demoDb);
    expect(h.backend.info().dbPath).toMatch(/keydesk-test\.sqlite$/);
    // The new database carries the install id the relay knows this token by, so its payments route back here.
    expect(h.backend.info().installId).toBe('office-counter-1');
    const install = readFileSync(join(dataDir, 'install.json'), 'utf8');
    expect(install).not.toContain(office.apiKey);
    expect(install).not.toContain(office.relayToken);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toContain(office.apiKey);
    // Neither the key, the token nor the PIN reaches the log.
    const logged = JSON.stringify(log.records);
    for (const secret of [office.apiKey, office.relayToken, '482916']) expect(logged).not.toContain(secret);
    // Sync and the connectivity probe run in test mode with the stored token and key.
    await waitFor(async () => {
      const s = await call<{ jobs: { name: string; health: string }[] }>(h, 'app.status', {});
      return s.jobs.find((j) => j.name === 'sync.stream')?.health === 'ok' && s.jobs.find((j) => j.name === 'app.connectivity')?.health === 'ok';
    }, 15_000, 'sync and connectivity ok in test mode');
    // The new mode starts signed out with the manager setup created; the demo staff are not there.
    const { staff } = await call<{ staff: { name: string }[] }>(h, 'staff.list', {});
    expect(staff.map((s) => s.name)).toEqual(['Mina Okafor']);
    // Setup is done: a clerk may no longer change it; nobody signed in neither.
    await expect(call(h, 'setup.complete', plan(), CLERK)).rejects.toThrow(/Only a manager/);
    await expect(call(h, 'setup.skipToDemo', {}, ANYONE)).rejects.toThrow(/Only a manager/);
  });

  it('a call that arrives while the host restarts is judged by the new mode’s session, not the old one', async () => {
    const h = await start();
    // Demo opens signed in as the demo manager: that session must not carry into test mode.
    const demoManager = h.backend.session.context('http');
    expect(demoManager.role).toBe('manager');
    await call(h, 'setup.complete', plan());
    // The restart setup asked for, begun now (the same one: restarts are joined), and a call inside it.
    const restarting = h.restart();
    const during = h.backend.call(demoManager, 'settings.update', { shopName: 'Renamed mid-restart' });
    await restarting;
    await waitFor(() => modeOf(h) === 'test', 15_000, 'test mode');
    const res = await during;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('not_signed_in');
  });

  it('switching back to demo keeps each mode’s data apart', async () => {
    const h = await start();
    await call(h, 'setup.complete', plan());
    await waitFor(() => modeOf(h) === 'test', 15_000, 'test mode');
    await call(h, 'setup.skipToDemo', {}, { role: 'manager', staffId: null, transport: 'internal' });
    await waitFor(() => modeOf(h) === 'demo', 15_000, 'back in demo');
    const { staff } = await call<{ staff: { name: string }[] }>(h, 'staff.list', {});
    expect(staff.map((s) => s.name)).not.toContain('Mina Okafor');
  });

  it('a token issued to another install is refused for a mode whose data already belongs to this one', async () => {
    const h = await start();
    await call(h, 'setup.complete', plan());
    await waitFor(() => modeOf(h) === 'test', 15_000, 'test mode');
    const other = await office.addInstall('office-counter-2');
    const manager = { role: 'manager' as const, staffId: null, transport: 'internal' as const };
    const { checks, ready } = await call<{ checks: { id: string; ok: boolean; detail: string }[]; ready: boolean }>(h, 'setup.check', plan({ relayToken: other, manager: undefined }), manager);
    expect(checks.find((c) => c.id === 'relay')).toMatchObject({ ok: false, detail: expect.stringMatching(/belongs to install office-counter-2/) });
    // Test mode may go without a relay, but a relay entered must work: the wrong token is never stored.
    expect(ready).toBe(false);
    await expect(call(h, 'setup.complete', plan({ relayToken: other, manager: undefined }), manager)).rejects.toThrow(/belongs to install office-counter-2/);
  });

  it('two setups at once: one is saved, the other is told to wait', async () => {
    const h = await start();
    const results = await Promise.allSettled([call(h, 'setup.complete', plan()), call(h, 'setup.complete', plan())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/already being saved/);
    await waitFor(() => modeOf(h) === 'test', 15_000, 'test mode');
  });

  it('the office lock wins: a counter locked to live cannot be set up in test mode', async () => {
    const h = await start({ config: { mode: 'live', relayUrl: office.relayUrl }, source: '/etc/keydesk/managed-config.json', locked: ['mode', 'relayUrl'] });
    expect(h.backend.info().mode).toBe('live');
    const state = await call<{ locked: Record<string, string> }>(h, 'setup.state', {});
    expect(state.locked).toEqual({ mode: 'live', relayUrl: office.relayUrl });
    const { checks } = await call<{ checks: { id: string; ok: boolean; detail: string }[] }>(h, 'setup.check', plan());
    expect(checks.find((c) => c.id === 'mode')?.detail).toMatch(/locked this counter to live/);
    // Live mode without a stored key: jobs say why they are stopped, nothing pretends to work.
    const s = await call<{ jobs: { name: string; health: string; detail: string }[] }>(h, 'app.status', {});
    expect(s.jobs.find((j) => j.name === 'app.connectivity')?.detail).toMatch(/No Stripe key is stored for live mode/);
  });
});

describe('reader pairing', () => {
  const address = { line1: '1 Terminal Road', city: 'London', postalCode: 'TW6 1AA', country: 'gb' };

  it('live mode with a smart reader needs it paired: the checklist says so', async () => {
    const h = await start();
    const { checks } = await call<{ checks: { id: string; ok: boolean; detail: string }[] }>(h, 'setup.check', plan({ mode: 'live', stripeKey: 'sk_live_abc123', reader: 'server-driven' }));
    expect(checks.find((c) => c.id === 'reader')).toMatchObject({ ok: false, detail: expect.stringMatching(/registration code/) });
  });

  it('a wrong registration code is refused and nothing is saved; the right one pairs the reader', async () => {
    const h = await start();
    await expect(call(h, 'setup.complete', plan({ reader: 'server-driven', pairReader: { ...address, registrationCode: 'puppy-kitten-lamb' } }))).rejects.toThrow(/does not know that registration code/);
    expect(JSON.parse(readFileSync(join(dataDir, 'install.json'), 'utf8'))).toMatchObject({ mode: 'demo', setupDone: false });
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
    await call(h, 'setup.complete', plan({ reader: 'server-driven', pairReader: { ...address, registrationCode: 'simulated-wpe' } }));
    const install = JSON.parse(readFileSync(join(dataDir, 'install.json'), 'utf8')) as { readerId: string | null; reader: string };
    expect(install.reader).toBe('server-driven');
    const reader = await office.stripe().terminal.readers.retrieve(install.readerId ?? 'none');
    expect(reader).toMatchObject({ id: install.readerId, label: 'Keydesk counter' });
    await waitFor(() => modeOf(h) === 'test', 15_000, 'test mode');
  });
});

describe('first run and upgrades', () => {
  const again = () =>
    startAppHost({ dataDir, version: '0.0.0-test', transport: 'http', log: memoryLogger(), demoSeed: { full: false }, managed: { config: {}, source: null, locked: [] }, openSecrets: async () => plainFileSecretStore(join(dataDir, 'secrets.json')), offerSetupOnFirstRun: true });

  it('a counter closed on the setup screen shows setup again', async () => {
    const h = await start();
    await h.close();
    host = await again();
    await expect(call(host, 'setup.state', {})).resolves.toMatchObject({ firstRun: true, showOnStart: true });
  });

  it('an install from before setup existed (a demo shop, no setup file) is not a first run', async () => {
    const h = await start();
    await h.close();
    const { rmSync } = await import('node:fs');
    rmSync(join(dataDir, 'install.json'));
    host = await again();
    await expect(call(host, 'setup.state', {})).resolves.toMatchObject({ firstRun: false, showOnStart: false, mode: 'demo' });
  });
});
