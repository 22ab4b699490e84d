import type { Mode } from '../../../shared/contract/app';
import { roleRank } from '../../../shared/contract/define';
import type { setupPlanSchema } from '../../../shared/contract/setup';
import type { SetupCheck, SetupState } from '../../../shared/contract/setup';
import { PosError } from '../../../shared/errors';
import type { CallContext } from '../../core/handlers';
import { readInstallConfig, writeInstallConfig } from '../../config/installConfig';
import type { LoadedManagedConfig } from '../../config/managedConfig';
import type { SecretStore } from '../../secrets/secretStore';
import type { StripeEndpoint } from '../../stripe/gateway';
import { RESTRICTED_KEY_PERMISSIONS, modeCheck, pairReader, relayCheck, stripeKeyCheck } from './setupChecks';

type Plan = ReturnType<typeof setupPlanSchema.parse>;

/** What setup writes into the chosen mode's own database (done by the host, which can open it). */
export type ModePreparation = { location: string; currency: string; relayUrl: string; manager?: { name: string; pin: string }; relayInstallId: string | null };

export type SetupDeps = {
  mode: Mode;
  dataDir: string;
  managed: LoadedManagedConfig;
  /** The adapter, or the sentence saying why this computer cannot keep keys. */
  secrets: SecretStore | { refused: string };
  /** Where a key is checked: Stripe, or (harness only) the emulator on loopback. */
  stripeEndpoint: (apiKey: string) => StripeEndpoint;
  /** True when that mode's database already has a manager who can sign in. */
  modeHasManager: (mode: 'test' | 'live') => Promise<boolean>;
  /** The install id of that mode's database, or null when it has none yet. */
  modeInstallId: (mode: 'test' | 'live') => Promise<string | null>;
  prepareMode: (mode: 'test' | 'live', prep: ModePreparation) => Promise<void>;
  /** Called after the answer is sent: the host closes this mode and starts the new one. */
  requestRestart: () => void;
  /** Open the setup screen on a first run (the desktop app); otherwise setup is reached from Settings. */
  offerOnFirstRun: boolean;
  fetchImpl?: typeof fetch;
};

export type SetupService = {
  state(): Promise<SetupState>;
  checkStripeKey(mode: 'test' | 'live', key: string, ctx: CallContext): Promise<{ livemode: boolean; restricted: boolean; detail: string }>;
  checkRelay(url: string, token: string, ctx: CallContext): Promise<{ detail: string }>;
  check(plan: Plan, ctx: CallContext): Promise<{ checks: SetupCheck[]; ready: boolean }>;
  complete(plan: Plan, ctx: CallContext): Promise<{ checks: SetupCheck[]; restarting: boolean }>;
  skipToDemo(ctx: CallContext): Promise<{ restarting: boolean }>;
};

/** Test mode may start without a relay; live mode needs every check green. */
const REQUIRED_IN_TEST: ReadonlySet<SetupCheck['id']> = new Set(['stripe', 'mode', 'secrets', 'location', 'reader', 'manager']);

export function createSetupService(deps: SetupDeps): SetupService {
  const store = 'refused' in deps.secrets ? null : deps.secrets;
  const locked = deps.managed.config;
  let saving = false;

  /** A reader paired by an earlier setup of the same mode. */
  const pairedBefore = (mode: 'test' | 'live') => {
    const install = readInstallConfig(deps.dataDir);
    return install?.mode === mode && install.readerId !== null;
  };

  const firstRun = () => !(readInstallConfig(deps.dataDir)?.setupDone ?? false);

  /** Before setup anyone at the counter may run it; afterwards only a manager (it changes keys and mode). */
  function guard(ctx: CallContext): void {
    if (!firstRun() && (!ctx.role || roleRank(ctx.role) < roleRank('manager'))) throw new PosError('forbidden', 'Only a manager can change this counter’s setup.');
  }

  const stored = async (name: 'stripe.test' | 'stripe.live' | 'relay.test' | 'relay.live') => (store ? (await store.get(name)) !== null : false);

  async function runChecks(plan: Plan): Promise<{ checks: SetupCheck[]; ready: boolean; relayInstallId: string | null }> {
    const key = plan.stripeKey ?? (store ? await store.get(`stripe.${plan.mode}`) : null);
    const token = plan.relayToken ?? (store ? await store.get(`relay.${plan.mode}`) : null);
    const relayUrl = locked.relayUrl ?? plan.relayUrl;
    const mode = modeCheck(plan.mode, key);
    const lockedMode = locked.mode !== undefined && locked.mode !== plan.mode;
    const relay = await relayCheckFor(plan.mode, relayUrl, token);
    const checks: SetupCheck[] = [
      // A key for the wrong mode is never sent anywhere: a live key stays off a test setup.
      mode.ok && key ? await stripeKeyCheck(deps.stripeEndpoint(key)) : { id: 'stripe', label: 'Stripe accepts the key', ok: false, detail: key ? 'Not checked: the key does not match the mode.' : 'Enter this mode’s Stripe secret key.' },
      lockedMode ? { ...mode, ok: false, detail: `The office locked this counter to ${locked.mode} mode.` } : mode,
      store
        ? { id: 'secrets', label: 'Keys can be stored safely', ok: true, detail: store.protection.sentence }
        : { id: 'secrets', label: 'Keys can be stored safely', ok: false, detail: (deps.secrets as { refused: string }).refused },
      relay,
      { id: 'location', label: 'Location and currency', ok: true, detail: `${locked.location ?? plan.location}, prices in ${locked.currency?.toUpperCase() ?? plan.currency}.` },
      plan.mode === 'live' && plan.reader === 'simulated'
        ? { id: 'reader', label: 'Card reader', ok: false, detail: 'Live mode takes real cards: choose a smart reader, not the simulated one.' }
        : plan.mode === 'live' && plan.reader === 'server-driven' && !plan.pairReader && !pairedBefore(plan.mode)
          ? { id: 'reader', label: 'Card reader', ok: false, detail: 'Live mode needs the smart reader paired: type the registration code it shows (Settings → Generate pairing code on the reader).' }
          : plan.pairReader
            ? { id: 'reader', label: 'Card reader', ok: true, detail: `The reader will be paired with code ${plan.pairReader.registrationCode} when setup finishes.` }
            : { id: 'reader', label: 'Card reader', ok: true, detail: plan.reader === 'simulated' ? 'Stripe’s simulated reader (test cards only).' : plan.reader === 'server-driven' ? 'A smart reader driven by this counter through Stripe.' : 'A reader on this network through Stripe’s Terminal SDK.' },
      plan.manager || (await deps.modeHasManager(plan.mode))
        ? { id: 'manager', label: 'First manager and PIN', ok: true, detail: plan.manager ? `${plan.manager.name} will be the first manager.` : 'This mode already has a manager.' }
        : { id: 'manager', label: 'First manager and PIN', ok: false, detail: 'Name the first manager and choose a PIN.' },
    ];
    // Test mode may go without a relay, but a relay that was entered must work: a wrong token is never stored.
    const relayGiven = Boolean(relayUrl && token);
    const ready = checks.every((c) => c.ok || (plan.mode === 'test' && !REQUIRED_IN_TEST.has(c.id) && !(c.id === 'relay' && relayGiven)));
    return { checks, ready, relayInstallId: relay.ok ? relay.installId : null };
  }

  /**
   * The relay routes a payment's events by the install id on it, so this mode's database must
   * carry the id the relay knows this token by: a new database adopts it; an existing one with
   * another id would see its events parked as unassigned at the office, so the check says so.
   */
  async function relayCheckFor(mode: 'test' | 'live', url: string, token: string | null): Promise<SetupCheck & { installId: string | null }> {
    const c = await relayCheck(url, token, { required: mode === 'live', fetchImpl: deps.fetchImpl });
    if (!c.ok || !c.installId) return c;
    const existing = await deps.modeInstallId(mode);
    if (existing && existing !== c.installId) {
      return { ...c, ok: false, detail: `This token belongs to install ${c.installId} at the relay, but this counter’s ${mode} data is install ${existing}. Ask the office for the token issued to ${existing}.` };
    }
    return c;
  }

  return {
    async state() {
      const install = readInstallConfig(deps.dataDir);
      const lockedView: SetupState['locked'] = {};
      for (const f of deps.managed.locked) {
        const v = locked[f];
        if (v !== undefined) lockedView[f] = v as never;
      }
      return {
        firstRun: !(install?.setupDone ?? false),
        showOnStart: deps.offerOnFirstRun && !(install?.setupDone ?? false),
        mode: deps.mode,
        locked: lockedView,
        managedSource: deps.managed.source,
        secrets: store ? store.protection : { kind: 'refused', sentence: (deps.secrets as { refused: string }).refused },
        stored: {
          test: { stripeKey: await stored('stripe.test'), relayToken: await stored('relay.test') },
          live: { stripeKey: await stored('stripe.live'), relayToken: await stored('relay.live') },
        },
        relayUrl: locked.relayUrl ?? install?.relayUrl ?? '',
        reader: install?.reader ?? 'simulated',
        restrictedKeyPermissions: RESTRICTED_KEY_PERMISSIONS,
      };
    },

    async checkStripeKey(mode, key, ctx) {
      guard(ctx);
      const m = modeCheck(mode, key);
      if (!m.ok) throw new PosError('invalid_input', m.detail, { fields: { stripeKey: m.detail } });
      const c = await stripeKeyCheck(deps.stripeEndpoint(key));
      if (!c.ok) throw new PosError('invalid_input', c.detail, { fields: { stripeKey: c.detail } });
      return { livemode: mode === 'live', restricted: key.startsWith('rk_'), detail: c.detail };
    },

    async checkRelay(url, token, ctx) {
      guard(ctx);
      const c = await relayCheck(url, token, { required: true, fetchImpl: deps.fetchImpl });
      if (!c.ok) throw new PosError('invalid_input', c.detail, { fields: { relayToken: c.detail } });
      return { detail: c.detail };
    },

    async check(plan, ctx) {
      guard(ctx);
      const { checks, ready } = await runChecks(plan);
      return { checks, ready };
    },

    async complete(plan, ctx) {
      guard(ctx);
      if (saving) throw new PosError('conflict', 'Setup is already being saved on this counter. Wait a moment.');
      saving = true;
      try {
        const { checks, ready, relayInstallId } = await runChecks(plan);
        if (!ready || !store) {
          const red = checks.filter((c) => !c.ok && (plan.mode === 'live' || REQUIRED_IN_TEST.has(c.id) || c.id === 'relay'));
          throw new PosError('invalid_input', `Setup is not finished: ${red.map((c) => `${c.label} — ${c.detail}`).join(' ')}`);
        }
        // Pairing first: a refused registration code leaves nothing saved, and the clerk can retype it.
        let readerId = pairedBefore(plan.mode) ? (readInstallConfig(deps.dataDir)?.readerId ?? null) : null;
        if (plan.pairReader) {
          const key = plan.stripeKey ?? (await store.get(`stripe.${plan.mode}`));
          try {
            readerId = (await pairReader(deps.stripeEndpoint(key ?? ''), plan.pairReader, { location: locked.location ?? plan.location, counter: 'Keydesk counter' })).readerId;
          } catch (err) {
            const why = err && typeof err === 'object' && (err as { param?: unknown }).param === 'registration_code' ? 'Stripe does not know that registration code. Generate a new one on the reader and type it again.' : 'Stripe could not pair the reader. Check the address and try again.';
            throw new PosError('invalid_input', why, { fields: { registrationCode: why } });
          }
        }
        // Secrets first: a crash after this leaves a stored key and setup still to finish, never a mode without its key.
        if (plan.stripeKey) await store.set(`stripe.${plan.mode}`, plan.stripeKey);
        if (plan.relayToken) await store.set(`relay.${plan.mode}`, plan.relayToken);
        const relayUrl = locked.relayUrl ?? plan.relayUrl;
        await deps.prepareMode(plan.mode, { location: locked.location ?? plan.location, currency: locked.currency?.toUpperCase() ?? plan.currency, relayUrl, manager: plan.manager, relayInstallId });
        writeInstallConfig(deps.dataDir, { mode: plan.mode, setupDone: true, relayUrl, reader: plan.reader, readerId });
        setImmediate(deps.requestRestart);
        return { checks, restarting: true };
      } finally {
        saving = false;
      }
    },

    async skipToDemo(ctx) {
      guard(ctx);
      const install = readInstallConfig(deps.dataDir);
      writeInstallConfig(deps.dataDir, { mode: 'demo', setupDone: true, relayUrl: install?.relayUrl ?? '', reader: 'simulated', readerId: null });
      const restarting = deps.mode !== 'demo';
      if (restarting) setImmediate(deps.requestRestart);
      return { restarting };
    },
  };
}
