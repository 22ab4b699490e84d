import { z } from 'zod';
import { currencySchema } from '../money';
import { MODES } from './app';
import { method } from './define';

/** How a counter takes cards: the demo panel, a smart reader driven by main (Stripe's recommendation), or Stripe's JS SDK. */
export const READER_KINDS = ['simulated', 'server-driven', 'terminal-js'] as const;

export const setupCheckIds = ['stripe', 'mode', 'secrets', 'relay', 'location', 'reader', 'manager'] as const;
export const setupCheckSchema = z.object({
  id: z.enum(setupCheckIds),
  label: z.string(),
  ok: z.boolean(),
  /** One sentence: what was found, or what to do. */
  detail: z.string(),
});
export type SetupCheck = z.infer<typeof setupCheckSchema>;

const pinSchema = z.string().regex(/^\d{4,8}$/, { message: 'The PIN must be 4 to 8 digits' });
const secretKeySchema = z
  .string()
  .trim()
  .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, { message: 'A Stripe secret key starts with sk_test_, sk_live_, rk_test_ or rk_live_' });
const relayUrlSchema = z.union([z.literal(''), z.url({ protocol: /^https?$/, message: 'Must be an http(s) address' })]);

/** What setup shows: the current mode, what the office locked, how keys are kept. Never a secret. */
export const setupStateSchema = z.object({
  /** No setup yet on this counter: show the setup screen (it can be skipped into demo). */
  firstRun: z.boolean(),
  /** Open the setup screen on start (first run of the desktop app; the HTTP fallback starts in demo unless asked). */
  showOnStart: z.boolean(),
  mode: z.enum(MODES),
  /** Fields the office's managed configuration sets, with their values; shown locked. */
  locked: z.object({
    mode: z.enum(MODES).optional(),
    relayUrl: z.string().optional(),
    location: z.string().optional(),
    currency: z.string().optional(),
    updateChannel: z.string().optional(),
  }),
  managedSource: z.string().nullable(),
  /** How keys are kept, said plainly; `refused` when this computer cannot store them safely. */
  secrets: z.object({ kind: z.enum(['os-keychain', 'plain-file', 'refused']), sentence: z.string() }),
  /** Whether a key / relay token is already stored for each mode (never the value). */
  stored: z.object({ test: z.object({ stripeKey: z.boolean(), relayToken: z.boolean() }), live: z.object({ stripeKey: z.boolean(), relayToken: z.boolean() }) }),
  relayUrl: z.string(),
  reader: z.enum(READER_KINDS),
  /** Permissions a restricted key (rk_…) needs, as Stripe's dashboard names them. */
  restrictedKeyPermissions: z.array(z.string()),
});
export type SetupState = z.infer<typeof setupStateSchema>;

export const setupPlanSchema = z.object({
  mode: z.enum(['test', 'live']),
  /** Omitted: keep the key already stored for this mode. */
  stripeKey: secretKeySchema.optional(),
  relayUrl: relayUrlSchema,
  /** Omitted: keep the token already stored for this mode. */
  relayToken: z.string().trim().min(8, { message: 'The install token is at least 8 characters' }).max(200).optional(),
  location: z.string().trim().min(1, { message: 'Name the location, e.g. Airport desk' }).max(80),
  currency: currencySchema,
  reader: z.enum(READER_KINDS),
  /**
   * Pairing a smart reader now: the registration code it shows, and the address Stripe files the
   * reader's Terminal location under. Omitted: pair later (test mode), or keep the reader paired before.
   */
  pairReader: z
    .object({
      registrationCode: z.string().trim().min(3, { message: 'Type the code the reader shows, e.g. apple-banana-cherry' }).max(100),
      line1: z.string().trim().min(1, { message: 'Street and number' }).max(200),
      city: z.string().trim().min(1, { message: 'City' }).max(100),
      postalCode: z.string().trim().min(1, { message: 'Postcode' }).max(20),
      country: z.string().trim().regex(/^[A-Za-z]{2}$/, { message: 'Two-letter country code, e.g. GB' }).transform((c) => c.toUpperCase()),
    })
    .optional(),
  /** The first manager of this mode's database; omitted when it already has one. */
  manager: z.object({ name: z.string().trim().min(1, { message: 'Give the manager’s name' }).max(60), pin: pinSchema }).optional(),
});
export type SetupPlan = z.input<typeof setupPlanSchema>;

export const setupMethods = {
  'setup.state': method({
    access: 'public',
    summary: 'Whether this counter needs setup, its mode, what the office locked and how keys are kept',
    input: z.object({}).strict(),
    output: setupStateSchema,
  }),
  'setup.checkStripeKey': method({
    access: 'public',
    summary: 'Asks Stripe whether a secret key works and belongs to the chosen mode; nothing is saved',
    input: z.object({ mode: z.enum(['test', 'live']), stripeKey: secretKeySchema }).strict(),
    output: z.object({ livemode: z.boolean(), restricted: z.boolean(), detail: z.string() }),
  }),
  'setup.checkRelay': method({
    access: 'public',
    summary: 'Opens the office relay’s stream with an install token; nothing is saved',
    input: z.object({ relayUrl: z.url({ protocol: /^https?$/, message: 'Must be an http(s) address' }), relayToken: z.string().trim().min(8).max(200) }).strict(),
    output: z.object({ detail: z.string() }),
  }),
  'setup.check': method({
    access: 'public',
    summary: 'Runs every setup check on a plan and returns the checklist; nothing is saved',
    input: setupPlanSchema,
    output: z.object({ checks: z.array(setupCheckSchema), ready: z.boolean() }),
  }),
  'setup.complete': method({
    access: 'public',
    summary: 'Saves the plan (keys to the secret store), prepares that mode’s database and restarts into it',
    input: setupPlanSchema,
    output: z.object({ checks: z.array(setupCheckSchema), restarting: z.boolean() }),
  }),
  'setup.skipToDemo': method({
    access: 'public',
    summary: 'Skips setup: this counter runs the demo shop until a manager sets it up',
    input: z.object({}).strict(),
    output: z.object({ restarting: z.boolean() }),
  }),
} as const;
