import type { ReaderDriverKind } from '../../../shared/contract/payments';
import type { PaymentsKit } from './context';

/**
 * The terminal-js driver's facts main owns: whether it is the driver in force, where the page
 * loads the Terminal SDK from, and which origins the page's CSP must open for it (only then).
 */

/** Stripe's own script; the SDK may only be loaded from js.stripe.com (PCI; notes/terminal.md §1). */
export const STRIPE_TERMINAL_SCRIPT = 'https://js.stripe.com/terminal/v1/';

/**
 * Hosts the real SDK talks to besides the script's own origin. UNVERIFIED (Stripe publishes no
 * list): its API host and the smart readers on the shop's network, which answer under
 * `*.device.stripe-terminal-local-reader.net` (notes/terminal.md §1).
 */
const STRIPE_SDK_CONNECT = ['https://api.stripe.com', 'https://*.device.stripe-terminal-local-reader.net'];

/** The driver in force: the settings' choice; `simulated` only means something in demo (and is what demo does server-side). */
export function driverInForce(kit: Pick<PaymentsKit, 'mode' | 'readerDriver'>): ReaderDriverKind {
  const chosen = kit.readerDriver?.();
  if (chosen === 'terminal-js') return 'terminal-js';
  return kit.mode === 'demo' ? 'simulated' : 'server-driven';
}

export type TerminalScript = { scriptUrl: string; origin: string; connect: string[] };

/** Where the SDK comes from: the emulator's stand-in when the gateway points at the emulator, else Stripe's. */
export function terminalScript(kit: Pick<PaymentsKit, 'stripeEndpoint'>): TerminalScript {
  const e = kit.stripeEndpoint?.() ?? null;
  if (e?.host) {
    const origin = `${e.protocol ?? 'http'}://${e.host}${e.port ? `:${e.port}` : ''}`;
    return { scriptUrl: `${origin}/terminal-js/v1`, origin, connect: [origin] };
  }
  return { scriptUrl: STRIPE_TERMINAL_SCRIPT, origin: 'https://js.stripe.com', connect: ['https://js.stripe.com', ...STRIPE_SDK_CONNECT] };
}

/** What the page's CSP adds: nothing unless terminal-js is in force. */
export function terminalCspSources(kit: Pick<PaymentsKit, 'mode' | 'readerDriver' | 'stripeEndpoint'>): { script: string[]; connect: string[] } | null {
  if (driverInForce(kit) !== 'terminal-js') return null;
  const t = terminalScript(kit);
  return { script: [t.origin], connect: t.connect };
}
