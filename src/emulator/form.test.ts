import { describe, expect, it } from 'vitest';
import { applyMetadata, parseForm } from './form';
import { ApiError } from './errors';

describe('form decoding', () => {
  it('decodes nested brackets, indexed and empty-bracket arrays, and plus/percent escapes', () => {
    expect(
      parseForm('amount=100&metadata[booking_id]=B%201&payment_method_options[card_present][request_extended_authorization]=true&expand[0]=latest_charge&expand[1]=customer&types[]=a&types[]=b&q=x+y'),
    ).toEqual({
      amount: '100',
      metadata: { booking_id: 'B 1' },
      payment_method_options: { card_present: { request_extended_authorization: 'true' } },
      expand: ['latest_charge', 'customer'],
      types: ['a', 'b'],
      q: 'x y',
    });
  });

  it('keeps numeric metadata keys as keys, orders indexed arrays by index, and decodes arrays of objects', () => {
    expect(parseForm('metadata[0]=zero&metadata[7]=seven')).toEqual({ metadata: { '0': 'zero', '7': 'seven' } });
    expect(parseForm('a[1]=second&a[0]=first')).toEqual({ a: ['first', 'second'] });
    expect(parseForm('line_items[0][price_data][unit_amount]=5&line_items[0][quantity]=2')).toEqual({
      line_items: [{ price_data: { unit_amount: '5' }, quantity: '2' }],
    });
  });

  it('ignores prototype keys and refuses malformed names', () => {
    const parsed = parseForm('__proto__[polluted]=yes&a=1');
    expect(parsed).toEqual({ a: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => parseForm('a[b=1')).toThrow(ApiError);
    expect(() => parseForm('[x]=1')).toThrow(ApiError);
  });

  it('metadata updates: set, unset with an empty value, clear all with metadata=', () => {
    expect(applyMetadata({ a: '1', b: '2' }, parseForm('metadata[a]=&metadata[c]=3'))).toEqual({ b: '2', c: '3' });
    expect(applyMetadata({ a: '1' }, parseForm('metadata='))).toEqual({});
    expect(applyMetadata({ a: '1' }, parseForm('name=x'))).toBeUndefined();
    expect(() => applyMetadata({}, parseForm(`metadata[${'k'.repeat(41)}]=v`))).toThrow(/40 characters/);
  });
});
