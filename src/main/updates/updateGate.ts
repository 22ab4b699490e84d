import type { Db } from '../db/connection';

/** True while any shift at this counter is open: an update must not restart the till mid-shift. */
export function shiftIsOpen(db: Db): boolean {
  return db.prepare("SELECT 1 FROM shifts WHERE status = 'open' LIMIT 1").get() !== undefined;
}

export type UpdateGateState =
  | { kind: 'idle' }
  | { kind: 'waiting'; version: string; why: string }
  | { kind: 'installing'; version: string };

export type UpdateGate = {
  /** electron-updater finished a background download. */
  downloaded(version: string): UpdateGateState;
  /** Asks again (every minute, and when a shift closes): installs if the counter is free. */
  retry(): UpdateGateState;
  state(): UpdateGateState;
};

/**
 * Decides when a downloaded update may install: only when no shift is open. Otherwise it waits,
 * asks again on every `retry`, and electron-updater installs it on quit (so at the latest at the
 * next start). Plain Node, so the rule is tested without Electron; `src/main/electron/updater.ts` wires it.
 */
export function createUpdateGate(deps: { shiftOpen: () => boolean; install: (version: string) => void; log?: { info(e: string, d?: Record<string, unknown>): void } }): UpdateGate {
  let state: UpdateGateState = { kind: 'idle' };
  const attempt = (): UpdateGateState => {
    if (state.kind !== 'waiting') return state;
    let open: boolean;
    try {
      open = deps.shiftOpen();
    } catch {
      // Cannot tell (database mid-restart): never guess in favour of restarting the till.
      open = true;
    }
    if (open) {
      state = { ...state, why: 'A shift is open: the update installs when it is closed, or when Keydesk next starts.' };
      return state;
    }
    const version = state.version;
    state = { kind: 'installing', version };
    deps.log?.info('update.installing', { version });
    deps.install(version);
    return state;
  };
  return {
    downloaded(version) {
      if (state.kind === 'installing') return state;
      state = { kind: 'waiting', version, why: '' };
      deps.log?.info('update.downloaded', { version });
      return attempt();
    },
    retry: attempt,
    state: () => state,
  };
}
