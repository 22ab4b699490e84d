import type { Payment, Reader } from '../../../shared/contract/payments';
import { call, on } from '../rpc/client';
import { emitter } from './readerDriver';
import type { CollectOutcome, DriverReader, ReaderDriver, ReaderDriverKind, ReaderEvent, ReaderState } from './readerDriver';

/**
 * The `server-driven` and `simulated` drivers: main drives the reader through Stripe's readers
 * API (the emulator's simulated reader in demo), so this driver only asks main and follows its
 * `payments.changed` pushes. `collectAndProcess` waits until the payment leaves the reader
 * (paid, declined, cancelled, failed); the client secret is not needed on this path.
 */

/** Longest the driver follows one payment before handing back to the screen (main has its own reader timeout). */
const FOLLOW_LIMIT_MS = 5 * 60_000;
/** Between pushes, look again this often, in case a push was missed (a reconnecting event stream). */
const LOOK_AGAIN_MS = 3_000;

export function readerStateOf(r: Reader | null): ReaderState {
  if (!r || r.status === 'offline') return 'offline';
  if (r.action?.status === 'in_progress') return r.action.paymentId === null ? 'in_use' : 'busy';
  return r.status === 'busy' ? 'in_use' : 'online';
}

function view(r: Reader, kind: ReaderDriverKind): DriverReader {
  return { id: r.id, label: r.label, state: readerStateOf(r), simulated: kind === 'simulated' };
}

/** Where a payment stands for the reader: still on it, or finished one way or another. */
export function outcomeOfPayment(p: Payment): CollectOutcome | null {
  if (p.status === 'succeeded' || p.status === 'authorized') return { kind: 'processed', paymentIntentId: p.stripePaymentIntentId };
  if (p.status === 'canceled') return { kind: 'canceled' };
  const declined = p.attempts.at(-1)?.outcome === 'declined';
  if (p.status === 'failed' && !declined) return { kind: 'failed', code: p.errorCode ?? 'failed', message: p.errorMessage ?? 'The payment failed.' };
  if (p.status === 'failed' || (p.status === 'requires_action' && p.errorMessage)) {
    return { kind: 'declined', code: p.errorCode ?? 'card_declined', declineCode: p.errorCode, message: p.errorMessage ?? 'The card was declined.' };
  }
  return null;
}

export function createServerDrivenDriver(kind: Exclude<ReaderDriverKind, 'terminal-js'>): ReaderDriver {
  const events = emitter<ReaderEvent>();
  let following: string | null = null;

  return {
    kind,
    async discover() {
      const r = await call('readers.list', {});
      if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
      return { ok: true, value: r.value.readers.map((x) => view(x, kind)) };
    },
    async connect(readerId) {
      const r = await call('readers.select', { readerId });
      if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
      const v = view(r.value, kind);
      events.emit({ type: 'connection', state: v.state });
      return { ok: true, value: v };
    },
    collectAndProcess({ paymentId }) {
      following = paymentId;
      return new Promise<CollectOutcome>((resolve) => {
        const started = Date.now();
        let done = false;
        let timer: ReturnType<typeof setTimeout> | null = null;
        const finish = (o: CollectOutcome) => {
          if (done) return;
          done = true;
          if (timer) clearTimeout(timer);
          off();
          if (following === paymentId) following = null;
          resolve(o);
        };
        const look = async () => {
          const r = await call('payments.get', { paymentId });
          if (done) return;
          if (r.ok) {
            const o = outcomeOfPayment(r.value);
            if (o) return finish(o);
            events.emit({ type: 'display', text: r.value.status === 'processing' ? 'Processing' : 'Waiting for the card' });
          }
          if (Date.now() - started > FOLLOW_LIMIT_MS) {
            return finish({ kind: 'failed', code: 'follow_timeout', message: 'The reader has not answered for five minutes. Keydesk is checking with Stripe.' });
          }
          timer = setTimeout(() => void look(), LOOK_AGAIN_MS);
        };
        const off = on('payments.changed', (e) => {
          if (e.paymentId !== paymentId) return;
          if (timer) clearTimeout(timer);
          void look();
        });
        void look();
      });
    },
    async cancel() {
      if (!following) return { ok: true, value: null };
      const r = await call('payments.cancel', { paymentId: following });
      if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
      return { ok: true, value: null };
    },
    async disconnect() {
      following = null;
    },
    on: events.on,
  };
}
