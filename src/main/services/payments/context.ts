import type { BookingDetail } from '../../../shared/contract/bookings';
import type { EventPayload } from '../../../shared/contract';
import type { PaymentHold, ReaderDriverKind } from '../../../shared/contract/payments';
import type { Money, CurrencyCode } from '../../../shared/money';
import { PosError } from '../../../shared/errors';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import type { Db } from '../../db/connection';
import type { StripeGateway } from '../../stripe/stripeGateway';
import type { PaymentsRepo } from './paymentsRepo';

export type Ctx = Pick<CallContext, 'staffId' | 'role'>;

/** A step of a card checkout; the kill test stops the process right after each one. */
export type CheckoutStep = 'row_written' | 'intent_created' | 'reader_started' | 'reader_finished' | 'before_commit';

/** What the payments capability needs from the rest of main (given by backend.ts). */
export type PaymentsDeps = {
  db: Db;
  installId: string;
  now: () => Date;
  /** demo: the simulated reader panel is offered; test/live: a real (or Stripe-simulated) reader. */
  mode: 'demo' | 'test' | 'live';
  /** The bookings capability's read of one booking (lines, total, status, locations). */
  booking(id: string): BookingDetail;
  /** The one place the Stripe key comes from; null while none is set. */
  stripe(): StripeGateway | null;
  /** Checks a PIN for an approval on the spot (counts towards the lockout). */
  verifyPin(staffId: string, pin: string): Promise<{ id: string; name: string; role: 'clerk' | 'manager' }>;
  shop(): { name: string; locale: string; currency: string; footer: string };
  emit(payload: EventPayload<'payments.changed'>): void;
  /** How long the reader may wait for a card before main cancels the action. Default 90 s. */
  readerTimeoutMs?: number;
  /** How often the reader is polled while a card is awaited. Default 500 ms. */
  readerPollMs?: number;
  /** The deposit lines a receipt prints (deposits capability); none when not given. */
  depositLines?(bookingId: string): Array<{ description: string; amount: Money }>;
  /** A deposit hold's held/captured/released for the payment history (deposits capability); null when not a hold. */
  holdOf?(paymentId: string): PaymentHold | null;
  /** The reader driver chosen in settings (`readerDriver`); server-driven (simulated in demo) when not given. */
  readerDriver?(): ReaderDriverKind;
  /** Where the Stripe gateway points; a `host` means the emulator (demo, tests), whose stand-in Terminal SDK is then used. */
  stripeEndpoint?(): { host?: string; port?: number; protocol?: 'http' | 'https' } | null;
  /** Test seam: called after each checkout step (the kill test's child exits there). */
  onStep?: (step: CheckoutStep, paymentId: string) => void;
};

export type PaymentsKit = PaymentsDeps & { repo: PaymentsRepo };

export function money(amount: number, currency: string): Money {
  return { amount, currency: currency as CurrencyCode };
}

export function gatewayOf(kit: PaymentsKit): StripeGateway {
  const g = kit.stripe();
  if (!g) throw new PosError('configuration', 'This counter has no Stripe key yet, so it cannot take cards. Take cash, or ask a manager to finish setup.');
  return g;
}

export function audit(kit: PaymentsKit, ctx: Ctx | null, action: string, entityType: string, entityId: string | null, before: unknown, after: unknown): void {
  appendAudit(kit.db, kit.installId, { actorId: ctx?.staffId ?? null, actorRole: ctx?.role ?? 'stripe', action, entityType, entityId, before, after }, kit.now());
}

/**
 * A refused request still leaves its audit row (the rule: nothing written but the
 * audit row), then throws the clerk's sentence.
 */
export function refuse(kit: PaymentsKit, ctx: Ctx, action: string, bookingId: string | null, err: PosError): never {
  kit.db.transaction(() => audit(kit, ctx, `${action}.refused`, 'booking', bookingId, null, { code: err.code, reason: err.message }))();
  throw err;
}

/** What the counter may still take on a booking now: what is owed, minus paid and in-flight, plus refunds. */
export function available(kit: PaymentsKit, b: BookingDetail): { due: number; inFlight: number; paid: number } {
  const s = kit.repo.sums(b.id);
  const owed = b.owed.amount;
  const due = owed - s.paid + s.refunded;
  return { due: Math.max(0, due - s.in_flight), inFlight: s.in_flight, paid: s.paid - s.refunded };
}
