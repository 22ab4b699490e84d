import type { SetupCheck } from '../../../shared/contract/setup';
import { createStripeClient } from '../../stripe/gateway';
import type { StripeEndpoint } from '../../stripe/gateway';

/** What a restricted key (rk_…) needs, as Stripe's dashboard names the permissions. */
export const RESTRICTED_KEY_PERMISSIONS = [
  'PaymentIntents: Write',
  'Refunds: Write',
  'Customers: Write',
  'Events: Read',
  'Terminal (Readers, Locations, Connection tokens): Write',
  'Balance transactions: Read (fees on receipts and reports)',
];

type StripeLike = { type?: unknown; statusCode?: unknown; message?: unknown };

/** test / live from a key's prefix; null when it is neither (the contract already refuses that). */
export function keyMode(key: string): 'test' | 'live' | null {
  const m = /^(?:sk|rk)_(test|live)_/.exec(key);
  return (m?.[1] as 'test' | 'live' | undefined) ?? null;
}

export function modeCheck(wanted: 'test' | 'live', key: string | null): SetupCheck {
  const label = 'Key matches the mode';
  if (!key) return { id: 'mode', label, ok: false, detail: 'No Stripe key yet.' };
  const got = keyMode(key);
  if (got === wanted) return { id: 'mode', label, ok: true, detail: `A ${wanted}-mode key for ${wanted} mode.` };
  if (wanted === 'live') return { id: 'mode', label, ok: false, detail: 'This is a test key (sk_test_…); live mode takes real money and needs a live key (sk_live_…).' };
  return { id: 'mode', label, ok: false, detail: 'This is a live key (sk_live_…); test mode must never touch real money. Use a test key (sk_test_…).' };
}

/**
 * Asks Stripe with the key itself: events (Events: Read, needed for catching up) and payment
 * intents (PaymentIntents, needed to take money). Nothing is created, so a check costs nothing.
 */
export async function stripeKeyCheck(endpoint: StripeEndpoint | null): Promise<SetupCheck> {
  const label = 'Stripe accepts the key';
  if (!endpoint) return { id: 'stripe', label, ok: false, detail: 'Enter this mode’s Stripe secret key.' };
  const client = createStripeClient(endpoint, { maxNetworkRetries: 0, timeoutMs: 8_000 });
  try {
    await client.events.list({ limit: 1 });
    await client.paymentIntents.list({ limit: 1 });
  } catch (err) {
    const e = (err && typeof err === 'object' ? err : {}) as StripeLike;
    if (e.type === 'StripeAuthenticationError') return { id: 'stripe', label, ok: false, detail: 'Stripe does not recognise this key. Copy it again from the Stripe dashboard (Developers → API keys).' };
    if (e.type === 'StripePermissionError') return { id: 'stripe', label, ok: false, detail: `Stripe accepted the key but it lacks a permission Keydesk needs. Give the restricted key: ${RESTRICTED_KEY_PERMISSIONS.join('; ')}.` };
    if (e.type === 'StripeConnectionError') return { id: 'stripe', label, ok: false, detail: 'Stripe cannot be reached from this computer. Check the network and try again.' };
    return { id: 'stripe', label, ok: false, detail: 'Stripe did not accept the check. Try again; call the office if it repeats.' };
  }
  const restricted = endpoint.apiKey.startsWith('rk_');
  return { id: 'stripe', label, ok: true, detail: restricted ? 'Stripe accepted the restricted key.' : 'Stripe accepted the key. A restricted key (rk_…) with only the permissions listed is safer.' };
}

/** Reads the stream until the relay's hello (it names the install the token belongs to); bounded by the caller's abort. */
async function helloInstallId(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < 64 * 1024) {
      const { value, done } = await reader.read();
      if (done) return null;
      text += decoder.decode(value, { stream: true });
      const m = /event: hello\ndata: (.*)\n\n/.exec(text);
      if (m?.[1]) {
        const hello = JSON.parse(m[1]) as { installId?: unknown };
        return typeof hello.installId === 'string' ? hello.installId : null;
      }
    }
    return null;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export type RelayCheck = SetupCheck & { installId: string | null };

/** Opens the relay's event stream the way the sync job does, reads its hello, then lets go (nothing is acknowledged). */
export async function relayCheck(url: string, token: string | null, opts: { required: boolean; fetchImpl?: typeof fetch; timeoutMs?: number }): Promise<RelayCheck> {
  const label = 'Office relay streams to this counter';
  const missing = opts.required ? 'Live mode needs the office relay: enter its address and this counter’s install token.' : 'No office relay: payments still work, but this counter will not hear of refunds or disputes made elsewhere.';
  if (!url || !token) return { id: 'relay', label, ok: false, detail: missing, installId: null };
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 8_000);
  try {
    const res = await (opts.fetchImpl ?? fetch)(`${url.replace(/\/+$/, '')}/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: ctl.signal,
    });
    if (res.status === 401 || res.status === 403 || !res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await res.body?.cancel().catch(() => {});
      if (res.status === 401 || res.status === 403) return { id: 'relay', label, ok: false, detail: 'The relay refused this install token. Ask the office for this counter’s token.', installId: null };
      return { id: 'relay', label, ok: false, detail: `That address answered, but not as a Keydesk relay (HTTP ${res.status}). Check the address.`, installId: null };
    }
    const installId = await helloInstallId(res.body);
    if (!installId) return { id: 'relay', label, ok: false, detail: 'That address opened a stream but never said hello like a Keydesk relay. Check the address.', installId: null };
    return { id: 'relay', label, ok: true, detail: 'The relay accepted the token and opened the stream.', installId };
  } catch {
    return { id: 'relay', label, ok: false, detail: `The relay at ${url} cannot be reached. Check the address and the network.`, installId: null };
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

/**
 * Registers a smart reader with Stripe under a Terminal location named after the shop location.
 * Done at the end of setup (a registration code works once), before anything is saved.
 */
export async function pairReader(endpoint: StripeEndpoint, pair: { registrationCode: string; line1: string; city: string; postalCode: string; country: string }, names: { location: string; counter: string }): Promise<{ readerId: string; label: string }> {
  const client = createStripeClient(endpoint, { maxNetworkRetries: 1, timeoutMs: 15_000 });
  const location = await client.terminal.locations.create({
    display_name: names.location,
    address: { line1: pair.line1, city: pair.city, postal_code: pair.postalCode, country: pair.country },
  });
  const reader = await client.terminal.readers.create({ registration_code: pair.registrationCode, label: names.counter, location: location.id });
  return { readerId: reader.id, label: reader.label ?? names.counter };
}
