import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from './signature';

const stripe = new Stripe('sk_test_sig');
const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded' });
const now = 1_800_000_000;
const sign = (secret: string, t = now, payload = body) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });

describe('verifyStripeSignature', () => {
  it('accepts a header Stripe signed, and agrees with stripe-node', () => {
    const header = sign('whsec_a');
    expect(verifyStripeSignature(Buffer.from(body), header, ['whsec_a'], now)).toEqual({ ok: true, timestamp: now, secretIndex: 0 });
    expect(() => stripe.webhooks.constructEvent(body, header, 'whsec_a', 300, undefined, now)).not.toThrow();
  });

  it('accepts any secret of a rotation and any v1 in the header', () => {
    expect(verifyStripeSignature(Buffer.from(body), sign('whsec_new'), ['whsec_old', 'whsec_new'], now)).toMatchObject({ ok: true, secretIndex: 1 });
    // During Stripe's own rotation the header carries one v1 per secret.
    const both = `${sign('whsec_other')},v1=${sign('whsec_new').split('v1=')[1]}`;
    expect(verifyStripeSignature(Buffer.from(body), both, ['whsec_new'], now)).toMatchObject({ ok: true });
  });

  it('refuses a forged signature, another secret, and a tampered body', () => {
    expect(verifyStripeSignature(Buffer.from(body), sign('whsec_attacker'), ['whsec_a'], now)).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = Buffer.from(body.replace('charge.succeeded', 'charge.refunded'));
    expect(verifyStripeSignature(tampered, sign('whsec_a'), ['whsec_a'], now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyStripeSignature(Buffer.from(body), `t=${now},v0=${'0'.repeat(64)}`, ['whsec_a'], now)).toEqual({ ok: false, reason: 'malformed_signature' });
  });

  it('refuses stale timestamps (replays) beyond 300 s, and far-future ones', () => {
    expect(verifyStripeSignature(Buffer.from(body), sign('whsec_a', now - 300), ['whsec_a'], now).ok).toBe(true);
    expect(verifyStripeSignature(Buffer.from(body), sign('whsec_a', now - 301), ['whsec_a'], now)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyStripeSignature(Buffer.from(body), sign('whsec_a', now + 301), ['whsec_a'], now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyStripeSignature(Buffer.from(body), undefined, ['whsec_a'], now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyStripeSignature(Buffer.from(body), 'garbage', ['whsec_a'], now)).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(verifyStripeSignature(Buffer.from(body), `t=abc,v1=${'a'.repeat(64)}`, ['whsec_a'], now)).toEqual({ ok: false, reason: 'malformed_signature' });
  });
});
