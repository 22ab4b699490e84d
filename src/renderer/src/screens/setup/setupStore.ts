import { create } from 'zustand';
import type { SetupState } from '../../../../shared/contract/setup';
import { call } from '../../rpc/client';

type SetupStore = {
  open: boolean;
  state: SetupState | null;
  /** On start: opens setup when main says this is a first run of the desktop app. */
  loadOnStart(): Promise<void>;
  /** From Settings: a manager reopens setup to change mode, keys or relay. */
  show(): Promise<void>;
  close(): void;
};

export const useSetup = create<SetupStore>((set) => ({
  open: false,
  state: null,
  async loadOnStart() {
    const res = await call('setup.state', {});
    if (res.ok) set({ state: res.value, open: res.value.showOnStart });
  },
  async show() {
    const res = await call('setup.state', {});
    if (res.ok) set({ state: res.value, open: true });
  },
  close: () => set({ open: false }),
}));

/** After setup main restarts into the chosen mode; wait for it, then load the screens afresh. */
export async function reloadWhenMode(mode: string, maxMs = 30_000): Promise<boolean> {
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    const info = await call('app.info', {});
    if (info.ok && info.value.mode === mode) {
      window.location.reload();
      return true;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}
