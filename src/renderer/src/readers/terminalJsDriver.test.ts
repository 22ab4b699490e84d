import { describe, expect, it } from 'vitest';
import type { TerminalProps } from '@stripe/terminal-js';
import { createTerminalJsDriver } from './terminalJsDriver';
import type { TerminalSdk } from './terminalJsDriver';

/**
 * A small stand-in with the Terminal SDK's shape (types from @stripe/terminal-js): it redeems
 * a connection token on connect the way the SDK does, answers `{ error }` instead of throwing,
 * and lets a test choose what the card does. The emulator's scripted SDK is not on this branch
 * yet; this checks the driver's own logic (error checks, token use, cancel, outcomes).
 */
type Card = 'approve' | 'decline_insufficient' | 'expired' | 'customer_cancels' | 'hangs' | 'throws' | 'network_lost';

function fakeSdk(opts: { readers?: Array<{ id: string; status: 'online' | 'offline' }>; inUse?: boolean } = {}) {
  const log: string[] = [];
  const tokens: string[] = [];
  let card: Card = 'approve';
  let release: (() => void) | null = null;
  let props: TerminalProps | null = null;
  const readers = (opts.readers ?? [{ id: 'tmr_A', status: 'online' }]).map((r) => ({ ...r, object: 'terminal.reader', label: `Till ${r.id}` }));
  const sdk = {
    create(p: TerminalProps) {
      props = p;
      return {
        async discoverReaders(cfg: unknown) {
          log.push(`discover ${JSON.stringify(cfg)}`);
          return { discoveredReaders: readers };
        },
        async connectReader(reader: { id: string }, o: unknown) {
          log.push(`connect ${reader.id} ${JSON.stringify(o)}`);
          try {
            tokens.push(await p.onFetchConnectionToken());
          } catch (e) {
            return { error: { code: 'failed_fetch_connection_token', message: (e as Error).message } };
          }
          if (opts.inUse) return { error: { code: 'reader_busy', message: 'Reader is in use by another POS.' } };
          p.onConnectionStatusChange?.({ status: 'connected' as never });
          return { reader };
        },
        async collectPaymentMethod(secret: string) {
          log.push(`collect ${secret}`);
          p.onPaymentStatusChange?.({ status: 'waiting_for_input' as never });
          if (card === 'throws') throw new Error('script crashed');
          if (card === 'customer_cancels') return { error: { code: 'canceled', message: 'Canceled' } };
          if (card === 'hangs') {
            await new Promise<void>((r) => (release = r));
            return { error: { code: 'canceled', message: 'Collect canceled' } };
          }
          return { paymentIntent: { id: secret.split('_secret')[0], sdk_payment_details: {} } };
        },
        async processPayment(pi: { id: string }) {
          log.push(`process ${pi.id}`);
          if (card === 'decline_insufficient') return { error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } };
          if (card === 'expired') return { error: { code: 'expired_card', message: 'Your card has expired.' } };
          if (card === 'network_lost') return { error: { code: 'network_error', message: 'Network request failed' } };
          return { paymentIntent: { id: pi.id, status: 'requires_capture' } };
        },
        async cancelCollectPaymentMethod() {
          log.push('cancel');
          release?.();
          return {};
        },
        async disconnectReader() {
          log.push('disconnect');
          return {};
        },
        getConnectedReader: () => readers[0],
      };
    },
  };
  return {
    sdk: sdk as unknown as TerminalSdk,
    log,
    tokens,
    setCard: (c: Card) => (card = c),
    props: () => props,
  };
}

let tokenCount = 0;
const freshToken = async () => ({ ok: true as const, value: `pst_test_${++tokenCount}` });

async function connected(f: ReturnType<typeof fakeSdk>, location: string | null = null) {
  const d = createTerminalJsDriver({ sdk: f.sdk, fetchConnectionToken: freshToken, location });
  const found = await d.discover();
  if (!found.ok) throw new Error(found.error.message);
  const c = await d.connect(found.value[0]!.id);
  if (!c.ok) throw new Error(c.error.message);
  return d;
}

describe('terminal-js reader driver', () => {
  it('discovers the simulated reader without a location, and readers of the shop location otherwise', async () => {
    const sim = fakeSdk();
    await connected(sim);
    expect(sim.log[0]).toBe('discover {"simulated":true}');
    const real = fakeSdk({ readers: [{ id: 'tmr_B', status: 'offline' }] });
    const d = createTerminalJsDriver({ sdk: real.sdk, fetchConnectionToken: freshToken, location: 'tml_123' });
    const found = await d.discover();
    expect(real.log[0]).toBe('discover {"location":"tml_123"}');
    expect(found).toEqual({ ok: true, value: [{ id: 'tmr_B', label: 'Till tmr_B', state: 'offline', simulated: false }] });
  });

  it('connects with fail_if_in_use and a fresh token from main for each connect', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    await d.connect('tmr_A');
    expect(f.log.filter((l) => l.startsWith('connect'))).toEqual(['connect tmr_A {"fail_if_in_use":true}', 'connect tmr_A {"fail_if_in_use":true}']);
    expect(new Set(f.tokens).size).toBe(2);
  });

  it('says the reader is in use at another till instead of taking it over', async () => {
    const f = fakeSdk({ inUse: true });
    const d = createTerminalJsDriver({ sdk: f.sdk, fetchConnectionToken: freshToken, location: null });
    await d.discover();
    const r = await d.connect('tmr_A');
    expect(r).toEqual({ ok: false, error: { code: 'reader_in_use', message: expect.stringMatching(/in use at another till/) } });
  });

  it('passes main’s refusal to give a token on as the connect error', async () => {
    const f = fakeSdk();
    const d = createTerminalJsDriver({ sdk: f.sdk, fetchConnectionToken: async () => ({ ok: false, error: { code: 'unavailable', message: 'Stripe cannot be reached.' } }), location: null });
    await d.discover();
    expect(await d.connect('tmr_A')).toEqual({ ok: false, error: { code: 'failed_fetch_connection_token', message: 'Stripe cannot be reached.' } });
  });

  it('refuses a reader it has not discovered', async () => {
    const d = createTerminalJsDriver({ sdk: fakeSdk().sdk, fetchConnectionToken: freshToken, location: null });
    expect(await d.connect('tmr_nope')).toMatchObject({ ok: false, error: { code: 'reader_not_found' } });
  });

  it('collects then processes the client secret, and reports the PaymentIntent for main to check', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    const shown: string[] = [];
    d.on((e) => e.type === 'display' && shown.push(e.text));
    const out = await d.collectAndProcess({ paymentId: 'pay_1', clientSecret: 'pi_123_secret_abc' });
    expect(out).toEqual({ kind: 'processed', paymentIntentId: 'pi_123' });
    expect(f.log.slice(-2)).toEqual(['collect pi_123_secret_abc', 'process pi_123']);
    expect(shown).toContain('Waiting for the card');
  });

  it('turns a decline in the error answer into a decline with its code, not a success', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    f.setCard('decline_insufficient');
    expect(await d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' })).toEqual({
      kind: 'declined',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
    f.setCard('expired');
    expect(await d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' })).toMatchObject({ kind: 'declined', code: 'expired_card', declineCode: null });
  });

  it('treats a network error while processing as unknown (main reconciles), never as declined', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    f.setCard('network_lost');
    const out = await d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' });
    expect(out).toMatchObject({ kind: 'failed', code: 'network_error', message: expect.stringMatching(/checking with Stripe/) });
  });

  it('reports the customer cancelling on the reader as cancelled', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    f.setCard('customer_cancels');
    expect(await d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' })).toEqual({ kind: 'canceled' });
  });

  it('cancels a collection in progress on the reader (Esc on the Charge panel)', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    f.setCard('hangs');
    const pending = d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' });
    await expect.poll(() => f.log.includes('collect pi_9_secret_x')).toBe(true);
    expect(await d.cancel()).toEqual({ ok: true, value: null });
    expect(await pending).toEqual({ kind: 'canceled' });
    expect(f.log).toContain('cancel');
  });

  it('does not call the reader to cancel when nothing is being collected', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    expect(await d.cancel()).toEqual({ ok: true, value: null });
    expect(f.log).not.toContain('cancel');
  });

  it('answers a failure when the SDK throws instead of leaving the panel waiting', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    f.setCard('throws');
    expect(await d.collectAndProcess({ paymentId: 'p', clientSecret: 'pi_9_secret_x' })).toMatchObject({ kind: 'failed', code: 'sdk_threw' });
  });

  it('refuses to collect without a client secret, before touching the reader', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    expect(await d.collectAndProcess({ paymentId: 'p', clientSecret: null })).toMatchObject({ kind: 'failed', code: 'no_client_secret' });
    expect(f.log.some((l) => l.startsWith('collect'))).toBe(false);
  });

  it('reports an unexpected disconnect to the screen', async () => {
    const f = fakeSdk();
    const d = await connected(f);
    const seen: string[] = [];
    d.on((e) => e.type === 'disconnected' && seen.push(e.message));
    f.props()?.onUnexpectedReaderDisconnect?.({ error: { message: 'Reader unplugged' } });
    expect(seen).toEqual(['Reader unplugged']);
  });
});
