import type { PosBridge } from '../shared/bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window; the browser build falls back to HTTP. */
    pos?: PosBridge;
  }
}
