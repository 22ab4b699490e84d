import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../src/main/services/sync/sseParser';
import { verifyRelayedEvent } from '../../src/main/services/sync/verifyRelayedEvent';
import { sseFrame } from '../../src/relay/deliveryHub';

/** The relay's SSE framing and the till's parser: any body comes back byte for byte, whatever the chunking. */
describe('SSE framing of Stripe bodies', () => {
  it('round-trips any text body (line breaks, CR, unicode, leading spaces) through sseFrame and the client parser', () => {
    const body = fc.string({ unit: fc.oneof(fc.constantFrom('\n', '\r', ' ', '{', '"', ':', 'é', '東', '\u2028', '😀'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 200 });
    fc.assert(
      fc.property(body, fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }), fc.boolean(), (text, cuts, withSig) => {
        const sig = withSig ? 't=1,v1=' + 'a'.repeat(64) : null;
        const frame = sseFrame(7, text, sig);
        const parser = createSseParser();
        const got = [];
        let at = 0;
        for (const c of cuts) {
          got.push(...parser.push(frame.slice(at, at + c)));
          at += c;
        }
        got.push(...parser.push(frame.slice(at)));
        expect(got).toHaveLength(1);
        const m = got[0]!;
        expect([m.event, m.id, m.sig ?? null]).toEqual(['stripe', '7', sig]);
        expect(verifyRelayedEvent(7, m.data, { sig: m.sig ?? null, enc: m.enc ?? null }, []).body).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
