import { z } from 'zod';
import { currencySchema, nonNegativeMinorSchema } from '../money';
import { method } from './define';
import { idSchema, instantSchema } from './fields';
import { pinSchema } from './staff';

/** Why money goes back. `other` needs a sentence. */
export const REFUND_REASONS = ['customer_request', 'duplicate', 'damage_waived', 'early_return', 'goodwill', 'other'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export const REFUND_REASON_LABELS: Record<RefundReason, string> = {
  customer_request: 'Customer request',
  duplicate: 'Charged twice',
  damage_waived: 'Damage charge waived',
  early_return: 'Early return',
  goodwill: 'Goodwill',
  other: 'Other',
};

/** queued (waiting to be sent) → sending → pending (Stripe has it) → succeeded | failed; or canceled before sending. */
export const REFUND_STATES = ['queued', 'sending', 'pending', 'succeeded', 'failed', 'canceled'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const refundViewSchema = z.object({
  id: idSchema,
  paymentId: z.string(),
  bookingId: z.string(),
  bookingRef: z.string().nullable(),
  customerName: z.string().nullable(),
  amount: z.number().int(),
  currency: currencySchema,
  method: z.enum(['card', 'cash', 'release']),
  reasonCode: z.enum(REFUND_REASONS),
  reason: z.string(),
  status: z.enum(REFUND_STATES),
  stripeRefundId: z.string().nullable(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  attempts: z.number().int(),
  nextTryAt: instantSchema.nullable(),
  lastError: z.string().nullable(),
  /** Set when a person must act: why it stopped and what to do. */
  attentionReason: z.string().nullable(),
  attentionAction: z.string().nullable(),
  createdAt: instantSchema,
  createdBy: z.string().nullable(),
  approvedBy: z.array(z.string()),
  overrideReason: z.string().nullable(),
  canCancel: z.boolean(),
});
export type RefundView = z.infer<typeof refundViewSchema>;

export const refundablePaymentSchema = z.object({
  paymentId: z.string(),
  method: z.enum(['card_present', 'card', 'cash']),
  kind: z.enum(['charge', 'deposit_hold']),
  status: z.string(),
  currency: currencySchema,
  paid: z.number().int(),
  refunded: z.number().int(),
  /** Queued, sending or pending at Stripe: already promised back. */
  inProgress: z.number().int(),
  refundable: z.number().int(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  createdAt: z.string(),
  /** Why this payment cannot be refunded here, in one sentence; null when it can. */
  blocked: z.string().nullable(),
});

export const queueStatusSchema = z.object({
  online: z.boolean().nullable(),
  waiting: z.number().int(),
  attention: z.number().int(),
  nextTryAt: z.string().nullable(),
});
export type QueueStatus = z.infer<typeof queueStatusSchema>;

export const refundPolicySchema = z.object({
  /** Above this amount a manager's PIN is needed (minor units of the shop currency). */
  pinAbove: nonNegativeMinorSchema,
  /** Above this, two different managers. */
  twoManagersAbove: nonNegativeMinorSchema,
  /** Refunds one member of staff may make in an hour (0 = no limit). */
  perStaffPerHour: z.number().int().min(0).max(10_000),
  /** Today's refund total per till and per shop (0 = no limit). */
  tillDailyCap: nonNegativeMinorSchema,
  shopDailyCap: nonNegativeMinorSchema,
});
export type RefundPolicy = z.infer<typeof refundPolicySchema>;

const approvalSchema = z.object({ staffId: idSchema, pin: pinSchema }).strict();

export const refundsMethods = {
  'refunds.options': method({
    access: 'clerk',
    summary: 'A booking’s payments with what is still refundable, the approval amounts and the managers who can approve',
    input: z.object({ bookingId: idSchema }).strict(),
    output: z.object({
      payments: z.array(refundablePaymentSchema),
      policy: refundPolicySchema,
      managers: z.array(z.object({ id: z.string(), name: z.string() })),
      refunds: z.array(refundViewSchema),
    }),
  }),
  'refunds.create': method({
    access: 'clerk',
    summary: 'Refund part or all of one payment; card refunds are queued and sent to Stripe exactly once, cash comes out of the open shift’s drawer',
    input: z
      .object({
        paymentId: idSchema,
        amount: z.number({ message: 'Enter the amount to refund' }).int({ message: 'Amount must be whole minor units' }).min(1, { message: 'Enter an amount above zero' }),
        reasonCode: z.enum(REFUND_REASONS, { message: 'Pick a reason' }),
        reasonText: z.string().trim().max(500, { message: 'Reason must be at most 500 characters' }).optional(),
        /** Managers approving on the spot; the signed-in person stays signed in. */
        approvals: z.array(approvalSchema).max(2).default([]),
        /** A manager overriding a refund limit says why (audited). */
        overrideReason: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: refundViewSchema,
  }),
  'refunds.cancel': method({
    access: 'manager',
    summary: 'Cancel a queued refund that has not been sent to Stripe',
    input: z.object({ refundId: idSchema }).strict(),
    output: refundViewSchema,
  }),
  'refunds.retry': method({
    access: 'manager',
    summary: 'Send a refund from the needs-attention list again',
    input: z.object({ refundId: idSchema }).strict(),
    output: refundViewSchema,
  }),
  'refunds.get': method({
    access: 'clerk',
    summary: 'One refund, for its receipt',
    input: z.object({ refundId: idSchema }).strict(),
    output: refundViewSchema,
  }),
  'refunds.list': method({
    access: 'clerk',
    summary: 'Refunds, newest first: the queue, their states and next tries, and the needs-attention list',
    input: z.object({ filter: z.enum(['open', 'attention', 'all']).default('all'), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ refunds: z.array(refundViewSchema), queue: queueStatusSchema }),
  }),
  'refunds.queueStatus': method({
    access: 'public',
    summary: 'Online or offline, and how many Stripe calls wait in the queue (title bar)',
    input: z.object({}).strict(),
    output: queueStatusSchema,
  }),
  'refunds.policy': method({
    access: 'clerk',
    summary: 'Approval amounts and refund limits',
    input: z.object({}).strict(),
    output: refundPolicySchema,
  }),
  'refunds.setPolicy': method({
    access: 'manager',
    summary: 'Change approval amounts and refund limits',
    input: refundPolicySchema.strict(),
    output: refundPolicySchema,
  }),
} as const;

export const refundsEvents = {
  'refunds.changed': z.object({ queue: queueStatusSchema, ids: z.array(z.string()).max(1000) }),
} as const;
