import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../shared/contract/app';
import type { Settings } from '../shared/contract/settings';
import { createBackend } from './backend';
import type { Backend, BackendOptions } from './backend';
import type { CallContext } from './core/handlers';
import { newId } from './core/ids';
import type { Links } from './core/links';
import { openDatabase } from './db/connection';
import { migrate } from './db/migrate';
import { MIGRATIONS } from './db/migrations/index';
import { adoptInstallId } from './services/app/index';
import type { EventBus, PushListener } from './events';
import { dbFileForMode, effectiveMode, effectiveRelayUrl, readInstallConfig, writeInstallConfig } from './config/installConfig';
import { loadManagedConfig } from './config/managedConfig';
import type { LoadedManagedConfig } from './config/managedConfig';
import { SecretStorageRefused } from './secrets/secretStore';
import type { SecretStore } from './secrets/secretStore';
import { createFleetRepo } from './services/fleet/index';
import type { RateCardService } from './services/pricing/index';
import { demoCardFor } from './services/seed/index';
import type { SettingsService } from './services/settings/index';
import { keyMode } from './services/setup/index';
import type { ModePreparation } from './services/setup/index';
import type { StaffService } from './services/staff/index';
import { startMainApp } from './startApp';
import type { MainApp } from './startApp';
import type { StripeEndpoint } from './stripe/gateway';

export type AppHostOptions = Omit<BackendOptions, 'mode' | 'dbPath' | 'setup'> & {
  /** The office's preset; loaded from the system config folder and `--managed-config` when omitted. */
  managed?: LoadedManagedConfig;
  argv?: readonly string[];
  /** Opens the secret store: safeStorage under Electron, a 0600 file in the HTTP fallback. */
  openSecrets: (managed: LoadedManagedConfig) => Promise<SecretStore>;
  /**
   * Test harness only: send test-mode Stripe calls to the emulator on loopback. Electron's main
   * never sets it, so a packaged app always talks to Stripe itself.
   */
  stripeOverride?: Omit<StripeEndpoint, 'apiKey'>;
  /** Show setup on a first run (Electron); the HTTP fallback starts in demo unless asked. */
  offerSetupOnFirstRun: boolean;
};

/** The running app and a restart that keeps the transports: setup switches mode by closing one mode's app and starting the other's. */
export type AppHost = {
  readonly app: MainApp;
  /** Always the current backend; event subscriptions survive a restart. */
  readonly backend: Backend;
  readonly managed: LoadedManagedConfig;
  restart(): Promise<void>;
  close(): Promise<void>;
};

const SETUP_CTX: CallContext = { role: 'manager', staffId: null, transport: 'internal' };

function apiOf<T>(b: Backend, name: string): T {
  const m = b.modules.find((x) => x.name === name);
  if (!m?.api) throw new Error(`module ${name} has no api`);
  return m.api as T;
}

export async function startAppHost(opts: AppHostOptions): Promise<AppHost> {
  const managed = opts.managed ?? loadManagedConfig({ argv: opts.argv });
  let secrets: SecretStore | { refused: string };
  try {
    secrets = await opts.openSecrets(managed);
  } catch (err) {
    if (!(err instanceof SecretStorageRefused)) throw err;
    secrets = { refused: err.message };
  }
  const store = 'refused' in secrets ? null : secrets;
  const endpoint = (apiKey: string): StripeEndpoint => ({ apiKey, ...opts.stripeOverride });
  const dbPathFor = (mode: Mode) => join(opts.dataDir, dbFileForMode(mode));

  async function officeLinks(mode: Mode): Promise<Partial<Links>> {
    if (mode === 'demo') return {};
    const setupHint = 'A manager runs setup (Settings → Set up this counter).';
    if (!store) return { stripe: { ok: false, failed: true, why: (secrets as { refused: string }).refused }, relay: { ok: false, failed: true, why: (secrets as { refused: string }).refused } };
    const key = await store.get(`stripe.${mode}`);
    const token = await store.get(`relay.${mode}`);
    const relayUrl = effectiveRelayUrl(readInstallConfig(opts.dataDir), managed);
    const stripe: Links['stripe'] = !key
      ? { ok: false, why: `No Stripe key is stored for ${mode} mode. ${setupHint}` }
      : keyMode(key) !== mode
        ? { ok: false, failed: true, why: `The stored Stripe key is not a ${mode}-mode key, so ${mode} mode refuses it. ${setupHint}` }
        : { ok: true, value: endpoint(key) };
    const relay: Links['relay'] = relayUrl && token ? { ok: true, value: { url: relayUrl, token } } : { ok: false, why: `No office relay is set up for ${mode} mode, so refunds and disputes made elsewhere do not reach this counter. ${setupHint}` };
    return { stripe, relay };
  }

  async function modeInstallId(mode: 'test' | 'live'): Promise<string | null> {
    const path = dbPathFor(mode);
    if (!existsSync(path)) return null;
    const db = openDatabase(path);
    try {
      const row = db.prepare("SELECT value FROM settings WHERE key = 'install.id'").pluck().get();
      return typeof row === 'string' ? (JSON.parse(row) as string) : null;
    } catch {
      return null;
    } finally {
      db.close();
    }
  }

  async function modeHasManager(mode: 'test' | 'live'): Promise<boolean> {
    const path = dbPathFor(mode);
    if (!existsSync(path)) return false;
    const db = openDatabase(path);
    try {
      return db.prepare("SELECT 1 FROM staff WHERE role = 'manager' AND active = 1 LIMIT 1").get() !== undefined;
    } catch {
      return false;
    } finally {
      db.close();
    }
  }

  /** Writes setup's choices into that mode's own database: settings, home location, a starting tariff, the first manager. */
  async function prepareMode(mode: 'test' | 'live', prep: ModePreparation): Promise<void> {
    if (prep.relayInstallId && !existsSync(dbPathFor(mode))) {
      // A new database takes the id the relay knows this counter by, before anything carries an id.
      const db = openDatabase(dbPathFor(mode));
      try {
        migrate(db, MIGRATIONS);
        adoptInstallId(db, prep.relayInstallId);
      } finally {
        db.close();
      }
    }
    const b = createBackend({ ...opts, mode, dbPath: dbPathFor(mode), demoSeed: false, log: current?.backend.log ?? opts.log });
    try {
      const patch: Partial<Settings> = { currency: prep.currency as Settings['currency'], relayUrl: prep.relayUrl };
      apiOf<SettingsService>(b, 'settings').update(patch, SETUP_CTX);
      const settings = apiOf<SettingsService>(b, 'settings').get();
      b.db.transaction(() => {
        const fleet = createFleetRepo(b.db);
        const at = new Date().toISOString();
        if (fleet.locations().length === 0) {
          fleet.insertLocation({ id: newId(), code: prep.location.toUpperCase().replace(/[^A-Z0-9]+/g, '-').slice(0, 40) || 'HOME', name: prep.location, is_home: 1, install_id: b.info().installId, version: 1, created_at: at, updated_at: at });
        }
        const rates = apiOf<RateCardService>(b, 'pricing');
        // A tariff to start from so the counter can quote at once; the manager edits it in Settings.
        if (!rates.currentOrNull()) rates.save({ ...demoCardFor(settings.currency, settings.timeZone).card, name: `Starting tariff (${settings.currency})` }, SETUP_CTX);
        const staff = apiOf<StaffService>(b, 'staff');
        if (prep.manager && !staff.firstManager()) staff.create({ name: prep.manager.name, role: 'manager', pin: prep.manager.pin });
      })();
    } finally {
      b.close();
    }
  }

  let current: MainApp | null = null;
  let restarting: Promise<void> | null = null;
  const listeners = new Set<PushListener>();

  async function open(): Promise<MainApp> {
    const mode = effectiveMode(readInstallConfig(opts.dataDir), managed);
    const app = await startMainApp({
      ...opts,
      mode,
      dbPath: dbPathFor(mode),
      officeLinks: await officeLinks(mode),
      setup: {
        managed,
        secrets,
        stripeEndpoint: endpoint,
        modeHasManager,
        modeInstallId,
        prepareMode,
        requestRestart: () => void host.restart(),
        offerOnFirstRun: opts.offerSetupOnFirstRun,
      },
    });
    app.backend.events.subscribe((name, payload) => {
      for (const l of listeners) l(name, payload);
    });
    return app;
  }

  // The setup file is written on the very first start, before any database: a counter closed on
  // the setup screen shows it again, while an install from before setup existed (a demo shop but
  // no setup file) is not a first run.
  if (!readInstallConfig(opts.dataDir)) {
    writeInstallConfig(opts.dataDir, { mode: 'demo', setupDone: existsSync(dbPathFor('demo')), relayUrl: '', reader: 'simulated', readerId: null });
  }
  current = await open();
  let last: MainApp = current;
  const events: EventBus = {
    emit: (name, payload) => current?.backend.events.emit(name, payload),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const backend = new Proxy({} as Backend, {
    get(_t, prop) {
      if (prop === 'events') return events;
      // A call that arrives mid-restart waits for the new mode instead of failing at the counter.
      if (prop === 'call') {
        return async (ctx: CallContext, ...rest: unknown[]) => {
          const before = current;
          if (restarting) await restarting.catch(() => {});
          if (!current) throw new Error('Keydesk is closed');
          // A call that arrived mid-restart was given the old mode's session: the new mode decides who is signed in.
          const fresh = current === before ? ctx : current.backend.session.context(ctx.transport);
          return (current.backend.call as (...a: unknown[]) => unknown)(fresh, ...rest);
        };
      }
      // Mid-restart, the transport still reads the log and the session: the last backend's serve (calls wait, above).
      const b = (current ?? last).backend;
      const v = (b as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(b) : v;
    },
  });

  const host: AppHost = {
    get app() {
      return current ?? last;
    },
    backend,
    managed,
    restart() {
      restarting ??= (async () => {
        const old = current;
        const log = old?.backend.log;
        log?.info('app.restarting', {});
        current = null;
        await old?.close();
        current = await open();
        last = current;
        current.backend.events.emit('status.changed', current.backend.status.current());
      })().finally(() => {
        restarting = null;
      });
      return restarting;
    },
    async close() {
      await restarting?.catch(() => {});
      const c = current;
      current = null;
      await c?.close();
    },
  };
  return host;
}
