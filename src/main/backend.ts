import { join } from 'node:path';
import { platform } from 'node:os';
import { contract } from '../shared/contract';
import type { EventPayload, Input, MethodName, Output } from '../shared/contract';
import type { AppInfo, Mode } from '../shared/contract/app';
import type { Result } from '../shared/errors';
import type { Db } from './db/connection';
import { schemaVersion } from './db/migrate';
import { openAppDatabase } from './db/openApp';
import { MIGRATIONS } from './db/migrations/index';
import { createEventBus } from './events';
import type { EventBus } from './events';
import { createLogger } from './log';
import type { Logger } from './log';
import { dispatch } from './rpc/dispatch';
import { joinHandlers } from './core/handlers';
import type { CallContext, HandlerTable } from './core/handlers';
import { createJobRunner } from './core/jobs';
import type { JobRunner } from './core/jobs';
import { createLinkBoard } from './core/links';
import type { LinkBoard } from './core/links';
import type { Job, Module } from './core/module';
import type { StripeLink } from './core/links';
import { SIGNED_OUT, createSessionStore } from './core/session';
import type { SessionStore } from './core/session';
import { CONNECTIVITY_JOB, createAppModule, createStatusMonitor, demoStartSession, ensureInstallId, rememberSession } from './services/app/index';
import type { StatusMonitor } from './services/app/index';
import { createBookingsModule, isStoredFile } from './services/bookings/index';
import { createCustomersModule } from './services/customers/index';
import { createDiscountsModule } from './services/discounts/index';
import { createDriversModule } from './services/drivers/index';
import { createFleetModule } from './services/fleet/index';
import { createLocationsModule } from './services/locations/index';
import { createPricingModule } from './services/pricing/index';
import { createPhotosModule } from './services/photos/index';
import { createSearchModule } from './services/search/index';
import { applyDemoSettings, seedDemo } from './services/seed/index';
import type { DemoSeedOptions } from './services/seed/index';
import { createSettingsModule } from './services/settings/index';
import { createSetupModule } from './services/setup/index';
import type { SetupDeps } from './services/setup/index';
import { createStaffModule } from './services/staff/index';
import { SYNC_STREAM_JOB, createSyncModule, forgetPersonalInStripeEvents } from './services/sync/index';
import { createDatabaseModule } from './services/database/index';
import { createDepositsModule } from './services/deposits/index';
import type { DepositsDeps } from './services/deposits/index';
import { createPaymentsModule } from './services/payments/index';
import type { PaymentsDeps } from './services/payments/index';
import { createRefundsModule } from './services/refunds/index';
import type { RefundsApi, RefundsModuleDeps } from './services/refunds/index';
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
  /** How often the connectivity job asks Stripe whether it answers. */
  probeEveryMs?: number;
  /** What setup needs from the host (secrets, managed config, restart); omitted → setup can only report. */
  setup?: Omit<SetupDeps, 'mode' | 'dataDir'>;
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
  /** The pace of the poll of refunds pending at Stripe (tests slow its timer to drive it by hand). */
  refundsPending?: RefundsModuleDeps['pending'];
  /** Jobs that belong to the host rather than a capability (demo emulator health, main's unexpected errors); run after the modules' jobs. */
  extraJobs?: readonly Job[];
};

/** Main's services behind one dispatch, shared by the Electron and HTTP transports. */
export type Backend = {
  readonly db: Db;
  readonly log: Logger;
  readonly events: EventBus;
  readonly session: SessionStore;
  readonly status: StatusMonitor;
  /** What this counter is connected to (Stripe, the office relay); jobs read it when they start. */
  readonly links: LinkBoard;
  /** Every module's background jobs; `startMainApp` starts them, in every mode. */
  readonly jobs: JobRunner;
  /** The capabilities the app is built from, in build order. */
  readonly modules: readonly Module[];
  readonly handlers: HandlerTable;
  /** The one holder of this counter's Stripe gateway; follows the Stripe link. */
  readonly stripe: StripeAccess;
  readonly payments: ReturnType<typeof createPaymentsModule>;
  /** Refunds and the outbox: its api, plus its worker job (started by the job runner, or by a test). */
  readonly refunds: RefundsApi & { jobs: readonly Job[] };
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
  const db = openAppDatabase(dbPath, MIGRATIONS, log);
  const mode = opts.mode ?? 'demo';
  const installId = ensureInstallId(db);
  const events = createEventBus(log);
  const startedAt = new Date().toISOString();

  const now = opts.now ?? (() => new Date());
  const session = createSessionStore(SIGNED_OUT, (s) => {
    rememberSession(db, s);
    events.emit('session.changed', s);
  });
  const status = createStatusMonitor({ connectivityJob: CONNECTIVITY_JOB, syncJob: SYNC_STREAM_JOB, onChange: (s) => events.emit('status.changed', s) });
  const links = createLinkBoard(mode);
  const stripe = opts.stripe ?? createStripeAccess();

  // Before the settings are first read: a new demo shop runs on its locations' clock.
  if (mode === 'demo' && opts.demoSeed !== false) applyDemoSettings(db, opts.demoSeed ?? {});
  // Order matters only for the deps passed in: a module comes after the modules whose api it uses.
  const settings = createSettingsModule({ db, installId, onChange: (s) => events.emit('settings.changed', s), defaults: { readerDriver: mode === 'demo' ? 'simulated' : 'server-driven' } });
  const shopClock = () => ({ timeZone: settings.api.get().timeZone, locale: settings.api.get().locale });
  const pricing = createPricingModule({ db, installId, now, classesInUse: () => fleet.api.classesInUse(), shop: shopClock, locationCurrencies: () => locations.api.ownCurrencies() });
  const staff = createStaffModule({ db, installId, session, now, shop: shopClock });
  // A location's terms (clock, currency, tax, turnaround, hours) fall back to the shop's and the card's.
  const locations = createLocationsModule({ db, installId, now, settings: () => settings.api.get(), rates: pricing.api });
  const fleet = createFleetModule({ db, installId, now, rates: pricing.api, turnaroundMinutes: () => settings.api.get().turnaroundMinutes, locations: locations.api });
  const customers = createCustomersModule({ db, installId, now, timeZone: () => settings.api.get().timeZone, dataDir: opts.dataDir, dbPath, log,
    forgetElsewhere: (bookingIds) => forgetPersonalInStripeEvents(db, bookingIds) });
  // Extra drivers and discounts are priced into every quote of a saved booking.
  const adjustments = (id: string) => ({ extraDriverBirthDates: drivers.api.birthDates(id), discounts: discounts.api.facts(id) });
  const bookings = createBookingsModule({
    db,
    installId,
    now,
    settings: () => settings.api.get(),
    rates: pricing.api,
    fleet: fleet.api,
    locations: locations.api,
    dataDir: opts.dataDir,
    beforeCheckOut: (id) => {
      if (opts.requirePaymentAtHandover !== false) payments.api.assertHandoverAllowed(id);
    },
    adjustments,
  });
  const drivers = createDriversModule({ db, installId });
  const timeZone = () => settings.api.get().timeZone;
  // Approvals in payments, deposits and refunds know clerk and manager: an admin approves as a manager.
  const approverPin = async (id: string, pin: string) => {
    const m = await staff.api.verifyPin(id, pin);
    return { ...m, role: m.role === 'admin' ? ('manager' as const) : m.role };
  };
  const discounts = createDiscountsModule({ db, installId, now, timeZone, terms: (b) => bookings.api.keptTerms(b), rates: pricing.api, drivers: drivers.api, verifyManagerPin: staff.api.verifyManagerPin, adjustments, pinThresholdBp: () => settings.api.get().discountPinThresholdBp, locale: () => settings.api.get().locale });
  const search = createSearchModule({ db, now, timeZone: () => settings.api.get().timeZone, bookings: bookings.api });
  const shopFacts = () => {
    const s = settings.api.get();
    return { name: s.shopName, locale: s.locale, currency: s.currency, footer: s.receiptFooter };
  };
  // What the two money capabilities share: the booking, Stripe, manager approvals, the shop, one push.
  const money = {
    db,
    installId,
    now,
    mode,
    booking: (id: string) => bookings.api.get(id),
    stripe: () => stripe.gateway(),
    verifyPin: approverPin,
    shop: shopFacts,
    emit: (p: EventPayload<'payments.changed'>) => events.emit('payments.changed', p),
  };
  const payments = createPaymentsModule({
    ...money,
    // Called only when a receipt is printed, long after `deposits` below exists.
    depositLines: (id) => deposits.api.receiptLines(id),
    holdOf: (id) => deposits.api.holdSummary(id),
    readerDriver: () => settings.api.get().readerDriver,
    stripeEndpoint: () => stripe.endpoint(),
    ...opts.payments,
  });
  const deposits = createDepositsModule({
    ...money,
    selectedReader: () => payments.api.selectedReaderId(),
    readerPollMs: opts.payments?.readerPollMs,
    readerTimeoutMs: opts.payments?.readerTimeoutMs,
    ...opts.deposits,
  });
  const refunds = createRefundsModule({
    db,
    installId,
    now,
    staff: { ...staff.api, verifyPin: approverPin },
    timeZone: () => settings.api.get().timeZone,
    locale: () => settings.api.get().locale,
    emit: (queue, ids) => events.emit('refunds.changed', { queue, ids }),
    setOnline: (online) => status.reportOnline(online, now().toISOString()),
    outbox: opts.outbox,
    pending: opts.refundsPending,
  });
  const sync = createSyncModule({
    db,
    installId,
    now,
    relay: () => links.current().relay,
    stripe: () => links.current().stripe,
    log,
    onBookingsChanged: (ids) => events.emit('bookings.changed', { ids }),
    hooks: {
      refund: refunds.api.applyStripeRefund,
      // A deposit hold's PaymentIntent and a pay link's Checkout Session are the deposits capability's.
      payment: (type, obj) => deposits.api.applyStripeEvent(type, obj) ?? payments.api.applyStripeEvent(type, obj),
    },
  });
  // Whoever sets the Stripe link (demo stack, setup) sets it for every capability that calls Stripe.
  links.onStripe((link: StripeLink | null) => {
    stripe.set(link);
    refunds.api.connect(link);
  });

  if (mode === 'demo' && opts.demoSeed !== false) {
    try {
      const report = seedDemo({ db, installId, settings: settings.api.get(), staff: staff.api, rates: pricing.api, now: now() }, opts.demoSeed ?? {});
      if (report.seeded) log.info('demo.seeded', report);
    } catch (err) {
      db.close();
      throw err;
    }
    // First start: the demo manager; after that whoever was signed in (never more).
    session.set(demoStartSession(db, staff.api));
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

  const app = createAppModule({ info, status, session, stripe: () => links.current().stripe, probeEveryMs: opts.probeEveryMs });
  const setup = createSetupModule({ ...(opts.setup ?? setupUnavailable()), mode, dataDir: opts.dataDir });
  const database = createDatabaseModule({ db, dbPath, log, now });
  const photos = createPhotosModule({ dataDir: opts.dataDir, isStored: (ref) => isStoredFile(opts.dataDir, ref, 'photos') });
  const modules: readonly Module[] = [app, settings, staff, pricing, fleet, locations, customers, bookings, drivers, discounts, search, payments, deposits, refunds, sync, database, setup, photos];
  const handlers = joinHandlers(
    modules.map((m) => m.handlers),
    Object.keys(contract) as MethodName[],
  );
  const jobs = createJobRunner({ jobs: [...modules.flatMap((m) => m.jobs ?? []), ...(opts.extraJobs ?? [])], log, now, onChange: (j) => status.setJobs(j) });
  status.setJobs(jobs.snapshot());

  return {
    db,
    log,
    events,
    session,
    status,
    links,
    jobs,
    modules,
    handlers,
    stripe,
    payments,
    refunds: { ...refunds.api, jobs: refunds.jobs ?? [] },
    deposits,
    info,
    call: ((ctx: CallContext, method: unknown, input: unknown) => dispatch(handlers, ctx, method, input, log)) as Backend['call'],
    close: () => {
      // Jobs write to the database: startMainApp stops them before it closes the backend.
      if (jobs.running) log.warn('backend.closed_with_jobs_running', {});
      payments.api.stop();
      deposits.api.stop();
      db.close();
    },
  };
}

/** A backend built without a host (tests, tools): setup reports state but cannot save. */
function setupUnavailable(): Omit<SetupDeps, 'mode' | 'dataDir'> {
  const refused = 'This build of Keydesk was started without key storage, so it cannot be set up here.';
  return {
    managed: { config: {}, source: null, locked: [] },
    secrets: { refused },
    stripeEndpoint: (apiKey) => ({ apiKey }),
    modeHasManager: async () => false,
    modeInstallId: async () => null,
    prepareMode: async () => {
      throw new Error(refused);
    },
    requestRestart: () => {},
    offerOnFirstRun: false,
  };
}
