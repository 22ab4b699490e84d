import type { Mode } from '../../shared/contract/app';

/** A connection a job needs, or the sentence saying why this counter has none. */
export type Link<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string; readonly failed?: boolean };

/** Where Stripe answers: the real API, or the emulator on loopback (demo mode, tests). Same shape as the gateway's endpoint. */
export type StripeLink = { apiKey: string; host?: string; port?: number; protocol?: 'http' | 'https' };
/** The office relay this counter streams Stripe's events from, and its install token. */
export type RelayLink = { url: string; token: string };

export type Links = { readonly stripe: Link<StripeLink>; readonly relay: Link<RelayLink> };

/**
 * What this counter is connected to. Demo mode fills it from the embedded emulator and relay once
 * they are up; test and live modes will fill it from the office install's setup (key and relay
 * token); until then jobs that need a link report 'stopped' with the sentence here.
 */
export type LinkBoard = {
  current(): Links;
  set(patch: Partial<Links>): void;
  /** Called with the Stripe endpoint (or null) whenever the Stripe link is set. */
  onStripe(listener: (link: StripeLink | null) => void): void;
};

export function missingLinks(mode: Mode): Links {
  if (mode === 'demo') {
    return {
      stripe: { ok: false, why: 'The built-in demo Stripe has not started yet.' },
      relay: { ok: false, why: 'The built-in demo relay has not started yet.' },
    };
  }
  return {
    stripe: { ok: false, why: 'No Stripe key is set up on this counter yet; key setup comes with the office install.' },
    relay: { ok: false, why: 'No office relay is set up for this counter yet, so Stripe’s updates do not stream here; the relay token comes with the office install.' },
  };
}

export function createLinkBoard(mode: Mode): LinkBoard {
  let links = missingLinks(mode);
  const stripeListeners: ((link: StripeLink | null) => void)[] = [];
  return {
    current: () => links,
    set(patch) {
      links = { ...links, ...patch };
      if (patch.stripe) for (const l of stripeListeners) l(patch.stripe.ok ? patch.stripe.value : null);
    },
    onStripe(listener) {
      stripeListeners.push(listener);
    },
  };
}
