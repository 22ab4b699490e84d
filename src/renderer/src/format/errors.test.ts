import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGES } from '../../../shared/errors';
import { errorSentence, fieldMessage, renameFields } from './errors';

describe('fieldMessage', () => {
  it('finds a control by exact or nested path', () => {
    const fields = { returnAt: 'Return must be after pickup', 'extras.0.quantity': 'Quantity must be at least 1' };
    expect(fieldMessage(fields, 'returnAt')).toBe('Return must be after pickup');
    expect(fieldMessage(fields, 'extras')).toBe('Quantity must be at least 1');
    expect(fieldMessage(fields, 'ext')).toBeUndefined();
    expect(fieldMessage(undefined, 'returnAt')).toBeUndefined();
  });
});

describe('renameFields', () => {
  it('maps another method’s paths onto the form', () => {
    expect(renameFields({ to: 'Must be after the start', 'class.x': 'bad' }, { to: 'returnAt', class: 'vehicleClass' })).toEqual({
      returnAt: 'Must be after the start',
      'vehicleClass.x': 'bad',
    });
  });
});

describe('errorSentence', () => {
  it('names the fields when main only says to check them', () => {
    const s = errorSentence(
      { code: 'invalid_input', message: DEFAULT_MESSAGES.invalid_input, fields: { returnAt: 'Return must be after pickup', 'newDamage.0.amount': 'Amount cannot be negative' } },
      { returnAt: 'Return', newDamage: 'Damage' },
    );
    expect(s).toBe(`${DEFAULT_MESSAGES.invalid_input} Return: Return must be after pickup. Damage: Amount cannot be negative.`);
  });

  it('keeps main’s own sentence', () => {
    const conflict = { code: 'conflict' as const, message: 'AB-12-CD is already booked: KD-7F3K9 for Ann Smith. Choose another vehicle or time.', fields: { vehicleId: 'x' } };
    expect(errorSentence(conflict, { vehicleId: 'Vehicle' })).toBe(conflict.message);
  });

  it('falls back to the default sentence for an empty message', () => {
    expect(errorSentence({ code: 'unavailable', message: '' })).toBe(DEFAULT_MESSAGES.unavailable);
  });
});
