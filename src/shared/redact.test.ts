import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('blanks secret-named fields and secret-looking text, and keeps the rest', () => {
    const out = redact({
      pin: '1234',
      staffPin: '0000',
      relayToken: 'kdr_abc',
      note: 'key sk_live_51Habcdef and whsec_xyz via Bearer abc.def and kdr_QWERTY-_1 at postgres://relay:hunter2@db/relay',
      nested: [{ Authorization: 'Bearer x' }, { amount: 4200 }],
    });
    expect(out).toEqual({
      pin: '[redacted]',
      staffPin: '[redacted]',
      relayToken: '[redacted]',
      note: 'key [redacted] and [redacted] via [redacted] and [redacted] at [redacted]db/relay',
      nested: [{ Authorization: '[redacted]' }, { amount: 4200 }],
    });
  });
});
