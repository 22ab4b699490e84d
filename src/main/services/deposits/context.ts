import type { BookingDetail } from '../../../shared/contract/bookings';
import type { EventPayload } from '../../../shared/contract';
import { PosError } from '../../../shared/errors';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import type { StripeGateway } from '../../stripe/stripeGateway';
import type { PaymentsDeps } from '../payments/index';
import type { DepositsRepo } from './depositsRepo';

export type Ctx = Pick<CallContext, 'staffId' | 'role'>;

/** Steps of a settlement; the kill test stops the process right after one. */
export type SettleStep = 'settle_row_written' | 'stripe_captured';

/** What deposits needs is what payments needs (same database, clock, Stripe, reader timings), minus receipts. */
export type DepositsDeps = Pick<PaymentsDeps, 'db' | 'installId' | 'now' | 'mode' | 'booking' | 'stripe' | 'verifyPin' | 'readerPollMs' | 'readerTimeoutMs'> & {
  shop(): { name: string; locale: string; currency: string };
  /** Holds and links are payments: open payment screens refresh on the same event. */
  emit(payload: EventPayload<'payments.changed'>): void;
  /** The till's selected reader (the payments capability keeps the pairing). */
  selectedReader(): string | null;
  /** How often the hold sweep asks Stripe about held deposits and open links. Default 10 min. */
  sweepEveryMs?: number;
  /** How long a pay link stays open. Default 24 h (Stripe's maximum); at least 30 min. */
  linkMinutes?: number;
  /** Where a customer lands after paying a link (the shop's page); unset: the Checkout page's own confirmation. */
  linkSuccessUrl?: string;
  onStep?: (step: SettleStep, paymentId: string) => void;
};

export type DepositsKit = DepositsDeps & { repo: DepositsRepo };

export function gatewayOf(kit: DepositsKit): StripeGateway {
  const g = kit.stripe();
  if (!g) throw new PosError('configuration', 'This counter has no Stripe key yet, so it cannot hold a deposit or send a pay link. Ask a manager to finish setup.');
  return g;
}

export function audit(kit: DepositsKit, ctx: Ctx | null, action: string, entityType: string, entityId: string | null, before: unknown, after: unknown): void {
  appendAudit(kit.db, kit.installId, { actorId: ctx?.staffId ?? null, actorRole: ctx?.role ?? 'stripe', action, entityType, entityId, before, after }, kit.now());
}

/** What is still owed on a booking now: owed − captured + refunds that gave money back (never releases). */
export function balanceOf(kit: DepositsKit, b: BookingDetail): { due: number; inFlight: number } {
  const m = kit.repo.money(b.id);
  // A cancelled or no-show booking owes its fee (or nothing): bookings says what is owed.
  const owed = b.owed.amount;
  return { due: owed - m.paid + m.refunded, inFlight: m.in_flight };
}
