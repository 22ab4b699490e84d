import { isTrustedUrl } from '../security/trustedUrl';

/**
 * Which web permissions the window gets (DESIGN §7): none, except
 *  - `media` with video only (the camera for check-out/check-in photos), for the app's own top frame;
 *  - in terminal-js reader mode, local-network access, so Stripe's Terminal JS in the page can
 *    reach the paired reader on the shop's network (Chromium's Local Network Access permission:
 *    Electron 45 lists `local-network-access` and its newer split names `local-network` and
 *    `loopback-network`). The permission carries no target address, so it cannot be narrowed to
 *    the one reader here: the page's CSP `connect-src` (rpc/httpTransport.ts) does that.
 *    Loopback is granted only in demo mode, where the simulated reader is the emulator on 127.0.0.1.
 * Plain Node so every rule is unit-tested; `electron/main.ts` calls it from both Electron handlers
 * (a check is asked first, then a request if the check said no).
 */

export type ReaderKind = 'simulated' | 'server-driven' | 'terminal-js';

export type PermissionDetails = {
  /** Both handlers give it; an absent value is treated as a subframe. */
  isMainFrame?: boolean;
  /** Request handler, `media`: what the page asks for ('video' = camera, 'audio' = microphone). */
  mediaTypes?: readonly string[];
  /** Check handler, `media`: 'video', 'audio' or 'unknown'. */
  mediaType?: string;
  /** Check handler: set only for a cross-origin subframe. */
  embeddingOrigin?: string;
};

export type PermissionSettings = {
  reader: ReaderKind;
  mode: 'demo' | 'test' | 'live';
  /** The dev server's address in development (electron-vite); undefined in a packaged app. */
  devServerUrl?: string;
};

export type PermissionDecision = { grant: boolean; why: string };

const LOCAL_NETWORK = new Set(['local-network-access', 'local-network']);

function deny(why: string): PermissionDecision {
  return { grant: false, why };
}

function cameraOnly(details: PermissionDetails): boolean {
  if (details.mediaTypes !== undefined) return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'video');
  return details.mediaType === 'video';
}

export function decidePermission(permission: string, origin: string | null | undefined, details: PermissionDetails, settings: PermissionSettings): PermissionDecision {
  if (!isTrustedUrl(origin, settings.devServerUrl)) return deny('not the app');
  if (details.isMainFrame !== true || details.embeddingOrigin) return deny('not the top frame');
  if (permission === 'media') return cameraOnly(details) ? { grant: true, why: 'camera for vehicle photos' } : deny('only the camera (video) is allowed');
  if (LOCAL_NETWORK.has(permission) || permission === 'loopback-network') {
    if (settings.reader !== 'terminal-js') return deny('local network only for a terminal-js reader');
    if (permission === 'loopback-network' && settings.mode !== 'demo') return deny('loopback only for the demo reader');
    return { grant: true, why: 'the paired reader on the local network' };
  }
  return deny('not used by Keydesk');
}

/** The origin the request handler reports (it gives a URL, not an origin), e.g. 'app://keydesk'. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // WHATWG gives 'null' as the origin of a non-special scheme such as app:, so build it by hand.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}
