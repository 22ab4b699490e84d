import { join } from 'node:path';
import { platform } from 'node:os';
import { contract } from '../shared/contract';
import type { Input, MethodName, Output } from '../shared/contract';
import type { AppInfo, Mode } from '../shared/contract/app';
import type { Result } from '../shared/errors';
import { openDatabase } from './db/connection';
import type { Db } from './db/connection';
import { migrate, schemaVersion } from './db/migrate';
import { MIGRATIONS } from './db/migrations/index';
import { createEventBus } from './events';
import type { EventBus } from './events';
import { createLogger } from './log';
import type { Logger } from './log';
import { dispatch } from './rpc/dispatch';
import { joinHandlers } from './core/handlers';
import type { CallContext, HandlerTable } from './core/handlers';
import type { Job } from './core/module';
import { appHandlers } from './services/app/appHandlers';
import { ensureInstallId } from './services/app/installId';
import { SIGNED_OUT, createSessionStore } from './services/app/sessionStore';
import type { SessionStore } from './services/app/sessionStore';
import { createStatusMonitor } from './services/app/statusMonitor';
import type { StatusMonitor } from './services/app/statusMonitor';
import { settingsHandlers } from './services/settings/settingsHandlers';
import { createSettingsService } from './services/settings/settingsService';
import { bookingsHandlers } from './services/bookings/bookingsHandlers';
import { createBookingsService } from './services/bookings/bookingsService';
import { createRateCardService } from './services/bookings/rateCards';
import { customersHandlers } from './services/customers/customersHandlers';
import { createCustomersService } from './services/customers/customersService';
import { fleetHandlers } from './services/fleet/fleetHandlers';
import { createFleetService } from './services/fleet/fleetService';
import { seedDemo } from './services/seed/demoSeed';
import type { DemoSeedOptions } from './services/seed/demoSeed';
import { staffHandlers } from './services/staff/staffHandlers';
import { createRefundsModule } from './services/refunds/refundsModule';
import type { RefundsApi, RefundsModuleDeps } from './services/refunds/refundsModule';
import { createStaffService } from './services/staff/staffService';
import { createPaymentsModule } from './services/payments/index';
import { createDepositsModule } from './services/deposits/index';
import type { DepositsDeps } from './services/deposits/index';
import type { PaymentsDeps } from './services/payments/index';
import { createStripeAccess } from './stripe/stripeGateway';
import type { StripeAccess } from './stripe/stripeGateway';

export type BackendOptions = {
  /** Folder for the database and logs. */
  dataDir: string;
  /** Defaults to `<dataDir>/keydesk.sqlite`; ':memory:' for tests. */
  dbPath?: string;
  version: string;
  transport: AppInfo['transport'];
  mode?: Mode;
  log?: Logger;
  /** The clock every service reads; tests pin it. */
  now?: () => Date;
  /**
   * Demo mode builds a demo shop on first start (40 vehicles, 300 customers, bookings around
   * today). `{ full: false }` seeds only the rate card, locations and demo staff; false seeds nothing.
   */
  demoSeed?: DemoSeedOptions | false;
  /** Where the Stripe key comes from (demo: set to the emulator's once it listens). */
  stripe?: StripeAccess;
  /** Reader timeout and polling (tests shorten them) and the kill test's step hook. */
  payments?: Pick<PaymentsDeps, 'readerTimeoutMs' | 'readerPollMs' | 'onStep'>;
  /** Deposits: reader polling, sweep pacing, link lifetime (tests shorten them) and the kill test's step hook. */
  deposits?: Pick<DepositsDeps, 'readerTimeoutMs' | 'readerPollMs' | 'sweepEveryMs' | 'linkMinutes' | 'onStep'>;
  /** Check-out refuses a balance due unless a manager approved (default true; older tests turn it off). */
  requirePaymentAtHandover?: boolean;
  /** Outbox pacing and backoff (tests and the bench shorten them). */
  outbox?: RefundsModuleDeps['outbox'];
};

/** Main's services behind one dispatch, shared by the Electron and HTTP transports. */
export type Backend = {
  readonly db: Db;
  readonly log: Logger;
  readonly events: EventBus;
  readonly session: SessionStore;
  readonly status: StatusMonitor;
  readonly handlers: HandlerTable;
  readonly stripe: StripeAccess;
  /** Payments: its reconcile job is started by startApp (or a test) once Stripe is known. */
  readonly payments: ReturnType<typeof createPaymentsModule>;
  /** Refunds and the outbox: its worker job is started by startApp (or a test) once Stripe is known. */
  readonly refunds: RefundsApi & { jobs: readonly Job[] };
  /** Deposits and pay links: its sweep job is started by startApp (or a test) once Stripe is known. */
  readonly deposits: ReturnType<typeof createDepositsModule>;
  info(): AppInfo;
  /** Typed for callers inside main and tests; transports pass whatever arrived (checked by dispatch). */
  call<M extends MethodName>(ctx: CallContext, method: M, input: Input<M>): Promise<Result<Output<M>>>;
  call(ctx: CallContext, method: unknown, input: unknown): Promise<Result<unknown>>;
  close(): void;
};

export function createBackend(opts: BackendOptions): Backend {
  const log = opts.log ?? createLogger({ file: join(opts.dataDir, 'logs', 'main.log') });
  const dbPath = opts.dbPath ?? join(opts.dataDir, 'keydesk.sqlite');
  const db = openDatabase(dbPath);
  try {
    const { from, to } = migrate(db, MIGRATIONS);
    if (from !== to) log.info('db.migrated', { from, to, dbPath });
  } catch (err) {
    db.close();
    throw err;
  }
  const mode = opts.mode ?? 'demo';
  const installId = ensureInstallId(db);
  const events = createEventBus(log);
  const startedAt = new Date().toISOString();

  const now = opts.now ?? (() => new Date());
  const session = createSessionStore(SIGNED_OUT, (s) => events.emit('session.changed', s));
  const status = createStatusMonitor(
    { online: null, sync: 'off', detail: 'No office relay is set up for this counter.', checkedAt: null },
    (s) => events.emit('status.changed', s),
  );
  const settings = createSettingsService(db, installId, (s) => events.emit('settings.changed', s));
  const shopClock = () => ({ timeZone: settings.get().timeZone, locale: settings.get().locale });
  const rates = createRateCardService({ db, installId, now });
  const staff = createStaffService({ db, installId, session, now, shop: shopClock });
  const fleet = createFleetService({ db, installId, now, rates, turnaroundMinutes: () => settings.get().turnaroundMinutes });
  const customers = createCustomersService({ db, installId, now, timeZone: () => settings.get().timeZone });
  const bookings = createBookingsService({
    db,
    installId,
    now,
    settings: () => settings.get(),
    rates,
    fleet,
    dataDir: opts.dataDir,
    beforeCheckOut: (id) => {
      if (opts.requirePaymentAtHandover !== false) payments.api.assertHandoverAllowed(id);
    },
  });
  const stripe = opts.stripe ?? createStripeAccess();
  const payments = createPaymentsModule({
    db,
    installId,
    now,
    mode,
    booking: (id) => bookings.get(id),
    stripe: () => stripe.gateway(),
    verifyPin: (id, pin) => staff.verifyPin(id, pin),
    shop: () => ({ name: settings.get().shopName, locale: settings.get().locale, currency: settings.get().currency, footer: settings.get().receiptFooter }),
    emit: (p) => events.emit('payments.changed', p),
    // Called only when a receipt is printed, long after `deposits` below exists.
    depositLines: (id) => deposits.api.receiptLines(id),
    ...opts.payments,
  });

  const deposits = createDepositsModule({
    db,
    installId,
    now,
    mode,
    booking: (id) => bookings.get(id),
    stripe: () => stripe.gateway(),
    verifyPin: (id, pin) => staff.verifyPin(id, pin),
    shop: () => ({ name: settings.get().shopName, locale: settings.get().locale, currency: settings.get().currency }),
    emit: (p) => events.emit('payments.changed', p),
    selectedReader: () => (db.prepare('SELECT id FROM terminal_readers WHERE install_id = ? AND selected = 1').pluck().get(installId) as string | undefined) ?? null,
    readerPollMs: opts.payments?.readerPollMs,
    readerTimeoutMs: opts.payments?.readerTimeoutMs,
    ...opts.deposits,
  });

  const refunds = createRefundsModule({
    db,
    installId,
    now,
    staff,
    timeZone: () => settings.get().timeZone,
    locale: () => settings.get().locale,
    emit: (queue, ids) => events.emit('refunds.changed', { queue, ids }),
    setOnline: (online) => status.update({ online, checkedAt: now().toISOString() }),
    outbox: opts.outbox,
  });

  if (mode === 'demo' && opts.demoSeed !== false) {
    try {
      const report = seedDemo({ db, installId, settings: settings.get(), staff, rates, now: now() }, opts.demoSeed ?? {});
      if (report.seeded) log.info('demo.seeded', report);
    } catch (err) {
      db.close();
      throw err;
    }
    // Demo opens signed in as the demo manager so every screen is reachable at once.
    const manager = staff.firstManager();
    session.set(manager ? { staffId: manager.id, name: manager.name, role: manager.role } : { staffId: null, name: 'Demo manager', role: 'manager' });
  }

  const info = (): AppInfo => ({
    name: 'Keydesk',
    version: opts.version,
    mode,
    transport: opts.transport,
    dbPath,
    schemaVersion: schemaVersion(db),
    installId,
    platform: platform(),
    startedAt,
  });

  const handlers = joinHandlers(
    [
      appHandlers({ info, status, session }),
      settingsHandlers(settings),
      staffHandlers(staff),
      fleetHandlers(fleet),
      customersHandlers(customers),
      bookingsHandlers(bookings, rates),
      payments.handlers,
      refunds.handlers,
      deposits.handlers,
    ],
    Object.keys(contract) as MethodName[],
  );

  return {
    db,
    log,
    events,
    session,
    status,
    handlers,
    stripe,
    payments,
    refunds: { ...refunds.api, jobs: refunds.jobs ?? [] },
    deposits,
    info,
    call: ((ctx: CallContext, method: unknown, input: unknown) => dispatch(handlers, ctx, method, input, log)) as Backend['call'],
    close: () => {
      payments.api.stop();
      deposits.api.stop();
      db.close();
    },
  };
}
