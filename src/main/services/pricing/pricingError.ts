import type { z } from 'zod';
import { PosError } from '../../../shared/errors';

/**
 * The one error the pricing engine throws. `field` is a dotted path into the booking input
 * (`extras.1.code`) or, prefixed with `rateCard.`, into the rate card (`rateCard.classes.suv.dailyRate`),
 * so a form can mark the control. `message` names the field in words and says what is wrong.
 * A bad booking is `invalid_input`; a bad rate card is `configuration` (the office must fix it).
 */
export class PricingError extends PosError {
  readonly field: string;

  constructor(field: string, message: string, opts: { code?: 'invalid_input' | 'configuration'; fields?: Record<string, string> } = {}) {
    super(opts.code ?? (field.startsWith('rateCard') ? 'configuration' : 'invalid_input'), message, {
      fields: opts.fields ?? { [field]: message },
    });
    this.name = 'PricingError';
    this.field = field;
  }
}

const LABELS: Record<string, string> = {
  currency: 'Currency',
  vehicleClass: 'Vehicle class',
  pickupAt: 'Pickup time',
  returnAt: 'Return time',
  actualReturnAt: 'Actual return time',
  timeZone: 'Time zone',
  pickupLocation: 'Pickup location',
  returnLocation: 'Return location',
  driverAges: 'Driver',
  extras: 'Extra',
  fees: 'Fee',
  fuel: 'Fuel',
  odometer: 'Odometer',
  damages: 'Damage',
  discounts: 'Discount',
  computedAt: 'Quote time',
  rateCard: 'Rate card',
  classes: 'class',
  in: 'at return',
  out: 'at pickup',
  outEighths: 'level at pickup (eighths)',
  inEighths: 'level at return (eighths)',
  missingMillilitres: 'millilitres missing',
  percentBp: 'percentage (basis points)',
  appliesTo: 'applies to',
  rateBp: 'rate (basis points)',
};

function words(key: string): string {
  return LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** ['extras', 1, 'code'] → "Extra 2 code"; ['rateCard','classes','suv','dailyRate'] → "Rate card class suv daily rate". */
export function describeField(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') parts.push(String(seg + 1));
    else {
      const w = words(String(seg));
      parts.push(parts.length === 0 ? w : w.charAt(0).toLowerCase() + w.slice(1));
    }
  }
  const text = parts.join(' ').trim();
  return text === '' ? 'Input' : text.charAt(0).toUpperCase() + text.slice(1);
}

/** Builds a PricingError for one field: the message starts with the field in words. */
export function fieldError(path: readonly PropertyKey[], reason: string): PricingError {
  return new PricingError(path.map(String).join('.'), `${describeField(path)}: ${reason}`);
}

/** Per-parse fallback messages for zod issues that have no message of their own (clerk-readable). */
export function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int') return 'must be a whole number';
      return `must be ${issue.expected === 'object' ? 'filled in' : `a ${String(issue.expected)}`}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `can list at most ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `has an unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
      return 'has a code that is not valid';
    default:
      return 'is not valid';
  }
}

/** Turns a failed parse into a PricingError naming the first bad field; all bad fields go in `fields`. */
export function fromZodError(error: z.ZodError, prefix: readonly PropertyKey[] = []): PricingError {
  const fields: Record<string, string> = {};
  let first: { field: string; message: string } | undefined;
  for (const issue of error.issues) {
    let path = [...prefix, ...issue.path];
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
      // Point at the stray key itself (usually a misspelling) rather than its parent object.
      path = [...path, issue.keys[0]];
      reason = 'is not a field Keydesk knows; check the spelling';
    }
    const field = path.map(String).join('.');
    const message = `${describeField(path)}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
    fields[field] ??= message;
    first ??= { field, message };
  }
  if (!first) return new PricingError(prefix.map(String).join('.'), 'The details could not be read.');
  return new PricingError(first.field, first.message, { fields });
}
