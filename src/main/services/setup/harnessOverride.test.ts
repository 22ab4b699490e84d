import { describe, expect, it } from 'vitest';
import { harnessStripeOverride } from '../../harness';

describe('the harness-only Stripe override', () => {
  it('points test mode at an emulator on loopback', () => {
    expect(harnessStripeOverride('http://127.0.0.1:4242')).toEqual({ host: '127.0.0.1', port: 4242, protocol: 'http' });
    expect(harnessStripeOverride(undefined)).toBeUndefined();
  });

  it('refuses anything that is not loopback, so a real key never goes elsewhere', () => {
    expect(() => harnessStripeOverride('https://api.stripe.com')).toThrow(/loopback/);
    expect(() => harnessStripeOverride('http://10.0.0.5:4242')).toThrow(/loopback/);
    expect(() => harnessStripeOverride('http://127.0.0.1.evil.example:80')).toThrow(/loopback/);
  });
});
