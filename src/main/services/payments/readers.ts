import type { Reader, SimulatedOutcome } from '../../../shared/contract/payments';
import { PosError } from '../../../shared/errors';
import { idempotencyKey } from '../../stripe/stripeGateway';
import type { StripeGateway, StripeReader } from '../../stripe/stripeGateway';
import { audit, gatewayOf, refuse } from './context';
import type { Ctx, PaymentsKit } from './context';
import type { ReaderRow } from './paymentsRepo';

/**
 * The till's card readers: which one it uses (kept in `terminal_readers`), their state at
 * Stripe, the demo's simulated reader and its panel, and connection tokens for terminal-js.
 */

/** Stripe's simulated reader card numbers for each outcome the demo panel offers. */
const OUTCOME_CARDS: Record<Exclude<SimulatedOutcome, ReaderSideOutcome | 'timeout'>, string> = {
  approve: '4242424242424242',
  card_declined: '4000000000000002',
  insufficient_funds: '4000000000009995',
  lost_card: '4000000000009987',
  stolen_card: '4000000000009979',
  expired_card: '4000000000000069',
  incorrect_cvc: '4000000000000127',
  processing_error: '4000000000000119',
};

/** Outcomes the emulator's fail_action helper produces (no test card number stands for them). */
type ReaderSideOutcome = 'card_removed' | 'incorrect_number' | 'card_velocity_exceeded';
const READER_SIDE = new Set<string>(['card_removed', 'incorrect_number', 'card_velocity_exceeded']);

/** The reader a payment goes to: the one asked for (must be this till's), else the selected one. */
export function chosenReader(kit: PaymentsKit, ctx: Ctx, bookingId: string, requested: string | undefined): string {
  if (requested) {
    const r = kit.repo.reader(requested);
    if (!r || r.install_id !== kit.installId) refuse(kit, ctx, 'payment.card', bookingId, new PosError('invalid_input', 'That reader is not paired with this counter. Pick one from the list.', { fields: { readerId: 'Not paired with this counter' } }));
    return requested;
  }
  const selected = kit.repo.readers(kit.installId).find((r) => r.selected === 1);
  if (!selected) refuse(kit, ctx, 'payment.card', bookingId, new PosError('conflict', 'No card reader is chosen for this counter. Pick one in the reader list, or take cash.'));
  return selected.id;
}

/** Refuses (audited, nothing written) a reader that is offline or busy with another action. */
export async function checkReaderFree(kit: PaymentsKit, g: StripeGateway, ctx: Ctx, bookingId: string, readerId: string, paymentId: string | null): Promise<void> {
  const local = kit.repo.readerBusy(readerId);
  if (local && local.id !== paymentId) {
    refuse(kit, ctx, 'payment.card', bookingId, new PosError('conflict', 'The reader is busy with another payment. Wait for it to finish, or cancel it.'));
  }
  let reader: StripeReader;
  try {
    reader = await g.readers.retrieve(readerId);
  } catch (err) {
    const e = err instanceof PosError ? err : new PosError('internal', String(err));
    refuse(kit, ctx, 'payment.card', bookingId, e.code === 'not_found' ? new PosError('conflict', 'Stripe does not know this reader any more. Pair it again, or take cash.') : e);
  }
  if (reader.status !== 'online') refuse(kit, ctx, 'payment.card', bookingId, new PosError('unavailable', 'The reader is offline. Check its power and network, or take cash.'));
  if (reader.action?.status === 'in_progress') {
    refuse(kit, ctx, 'payment.card', bookingId, new PosError('conflict', 'The reader is busy with a payment at another counter. Wait for it to finish, or use another reader.'));
  }
}

export function createReaders(kit: PaymentsKit, nudge: (readerId: string) => void) {
  const { repo } = kit;

  function view(row: ReaderRow, live: StripeReader | null): Reader {
    const action = live?.action ?? null;
    const pi = action?.process_payment_intent?.payment_intent;
    const payment = typeof pi === 'string' ? repo.byPaymentIntent(pi) : undefined;
    const ours = payment && payment.install_id === kit.installId ? payment.id : null;
    const busy = action?.status === 'in_progress';
    return {
      id: row.id,
      label: row.label,
      deviceType: row.device_type,
      status: !live || live.status !== 'online' ? 'offline' : busy ? 'busy' : 'online',
      action: action ? { type: String(action.type), status: (['in_progress', 'succeeded', 'failed'].includes(action.status) ? action.status : 'failed') as 'in_progress' | 'succeeded' | 'failed', paymentId: ours } : null,
      selected: row.selected === 1,
    };
  }

  /** Demo: a simulated reader at a Terminal location for this till, made once and selected. */
  async function ensureDemoReader(g: StripeGateway): Promise<void> {
    if (kit.mode !== 'demo' || repo.readers(kit.installId).length > 0) return;
    const shop = kit.shop();
    const location = await g.locations.create(
      { display_name: shop.name.slice(0, 100) || 'Keydesk shop', address: { line1: 'Counter', city: 'Demo', country: 'NL', postal_code: '1000 AA' }, metadata: { install_id: kit.installId } },
      { idempotencyKey: idempotencyKey(kit.installId, 'demo_location') },
    );
    const reader = await g.readers.register(
      { registration_code: 'simulated-wpe', label: 'Counter reader (simulated)', location: location.id, metadata: { install_id: kit.installId } },
      { idempotencyKey: idempotencyKey(kit.installId, 'demo_reader') },
    );
    const at = kit.now().toISOString();
    kit.db.transaction(() => {
      if (repo.readers(kit.installId).length > 0) return;
      repo.upsertReader({ id: reader.id, label: reader.label ?? 'Counter reader', device_type: reader.device_type, stripe_location_id: location.id, selected: 1, install_id: kit.installId, created_at: at, updated_at: at });
      audit(kit, null, 'reader.paired', 'reader', reader.id, null, { label: reader.label, demo: true });
    })();
  }

  /** Test and live: every reader Stripe knows for the account becomes pickable. */
  async function learnReaders(g: StripeGateway): Promise<void> {
    if (kit.mode === 'demo') return;
    const list = await g.readers.list({ limit: 100 });
    const at = kit.now().toISOString();
    for (const r of list.data) {
      const known = repo.reader(r.id);
      if (known && known.install_id !== kit.installId) continue;
      repo.upsertReader({ id: r.id, label: r.label ?? r.serial_number, device_type: r.device_type, stripe_location_id: typeof r.location === 'string' ? r.location : (r.location?.id ?? null), selected: known?.selected ?? 0, install_id: kit.installId, created_at: known?.created_at ?? at, updated_at: at });
    }
  }

  async function list(): Promise<Reader[]> {
    const g = kit.stripe();
    if (!g) return [];
    await ensureDemoReader(g);
    await learnReaders(g).catch(() => undefined);
    const rows = repo.readers(kit.installId);
    return Promise.all(rows.map(async (row) => view(row, await g.readers.retrieve(row.id).catch(() => null))));
  }

  /** The selected reader with its live state, or null (offline readers show as offline). */
  async function selected(): Promise<Reader | null> {
    const g = kit.stripe();
    if (!g) return null;
    await ensureDemoReader(g).catch(() => undefined);
    const row = repo.readers(kit.installId).find((r) => r.selected === 1);
    if (!row) return null;
    return view(row, await g.readers.retrieve(row.id).catch(() => null));
  }

  async function select(readerId: string, ctx: Ctx): Promise<Reader> {
    await list().catch(() => undefined);
    const row = repo.reader(readerId);
    if (!row || row.install_id !== kit.installId) throw new PosError('invalid_input', 'That reader is not paired with this counter. Pick one from the list.', { fields: { readerId: 'Unknown reader' } });
    kit.db.transaction(() => {
      repo.selectReader(readerId, kit.installId, kit.now().toISOString());
      audit(kit, ctx, 'reader.select', 'reader', readerId, null, { label: row.label });
    })();
    const g = gatewayOf(kit);
    return view(repo.reader(readerId) as ReaderRow, await g.readers.retrieve(readerId).catch(() => null));
  }

  /** Demo only: what the person at the counter does with the simulated reader. */
  async function simulate(readerId: string, outcome: SimulatedOutcome, ctx: Ctx): Promise<void> {
    if (kit.mode !== 'demo') throw new PosError('forbidden', 'The reader panel is for demo mode only; use the real reader.');
    const row = repo.reader(readerId);
    if (!row || row.install_id !== kit.installId) throw new PosError('invalid_input', 'That reader is not paired with this counter.', { fields: { readerId: 'Unknown reader' } });
    const g = gatewayOf(kit);
    // Timeout: the reader never answers, so main's own timer cancels the action.
    if (outcome === 'timeout') return;
    const live = await g.readers.retrieve(readerId);
    if (live.action?.status !== 'in_progress') throw new PosError('conflict', 'The reader is not waiting for a card. Press Charge first.');
    const key = idempotencyKey(`${readerId}_${live.action.process_payment_intent?.payment_intent ?? 'x'}`, `${outcome}_${Date.now()}`);
    if (READER_SIDE.has(outcome)) await g.readers.failTestAction(readerId, outcome as ReaderSideOutcome, { idempotencyKey: key });
    else await g.readers.presentTestCard(readerId, { type: 'card_present', card_present: { number: OUTCOME_CARDS[outcome as keyof typeof OUTCOME_CARDS] } }, { idempotencyKey: key });
    kit.db.transaction(() => audit(kit, ctx, 'reader.simulate', 'reader', readerId, null, { outcome }))();
    nudge(readerId);
  }

  /** terminal-js: a single-use token scoped to this till's Terminal location; never the secret key. */
  async function connectionToken(ctx: Ctx): Promise<string> {
    const g = gatewayOf(kit);
    const location = repo.readers(kit.installId).find((r) => r.selected === 1)?.stripe_location_id ?? undefined;
    const token = await g.connectionTokens.create(location ? { location } : {}, { idempotencyKey: idempotencyKey(kit.installId, `ct_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`) });
    kit.db.transaction(() => audit(kit, ctx, 'reader.connection_token', 'reader', null, null, { location: location ?? null }))();
    return token.secret;
  }

  return { list, selected, select, simulate, connectionToken };
}
