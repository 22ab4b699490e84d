import { create } from 'zustand';
import type { AppInfo, Session, Status } from '../../../shared/contract/app';
import type { Settings } from '../../../shared/contract/settings';
import type { PosErrorShape } from '../../../shared/errors';
import { call, on } from '../rpc/client';
import type { ScreenId } from '../screens/registry';

export type Notice = { id: number; kind: 'error' | 'success'; text: string; key?: string | undefined };

type AppState = {
  info: AppInfo | null;
  status: Status | null;
  session: Session | null;
  settings: Settings | null;
  screen: ScreenId;
  paletteOpen: boolean;
  notices: Notice[];
  /** Set when the first load fails: the shell shows it instead of a blank screen. */
  fatal: string | null;
  load(): Promise<void>;
  navigate(screen: ScreenId): void;
  setPaletteOpen(open: boolean): void;
  /** `key` names the action: a newer notice with the same key replaces the older (a fixed form clears its error). */
  notify(kind: Notice['kind'], text: string, key?: string): void;
  dismiss(id: number): void;
  /** Drops the errors of one action (its dialog closed), or of every keyed action. */
  dismissErrors(key?: string): void;
  /**
   * The clerk moved to another view or screen: what was said belongs to the view it was said on
   * and goes, except what was said in the same moment as the move ("Booking saved", then the
   * booking opens).
   */
  leaveView(): void;
  saveSettings(patch: Partial<Settings>): Promise<{ ok: true } | { ok: false; error: PosErrorShape }>;
};

let nextNotice = 1;
/** Notices said in the current task: a view change in the same task carries them to the new view. */
const justSaid = new Set<number>();
let subscribed = false;

export const useApp = create<AppState>((set, get) => ({
  info: null,
  status: null,
  session: null,
  settings: null,
  screen: 'counter',
  paletteOpen: false,
  notices: [],
  fatal: null,

  async load() {
    const [info, status, session] = await Promise.all([call('app.info', {}), call('app.status', {}), call('session.current', {})]);
    if (!info.ok) {
      set({ fatal: info.error.message });
      return;
    }
    set({ info: info.value, fatal: null });
    if (status.ok) set({ status: status.value });
    if (session.ok) set({ session: session.value });
    // Settings need a signed-in member of staff; the sign-in screen loads them after the PIN.
    if (!session.ok || session.value.role !== null) {
      const settings = await call('settings.get', {});
      if (settings.ok) set({ settings: settings.value });
      else get().notify('error', settings.error.message);
    }
    if (!subscribed) {
      subscribed = true;
      on('status.changed', (s) => set({ status: s }));
      on('session.changed', (s) => set({ session: s }));
      on('settings.changed', (s) => set({ settings: s }));
    }
  },

  navigate(screen) {
    if (screen !== get().screen) get().leaveView();
    set({ screen, paletteOpen: false });
  },
  setPaletteOpen: (open) => set({ paletteOpen: open }),

  notify(kind, text, key) {
    const id = nextNotice++;
    // One success at a time: a newer one ("€264.00 to take") replaces the last, never stacks on it.
    const kept = get().notices.filter((n) => (key === undefined || n.key !== key) && !(n.kind === kind && n.text === text) && !(kind === 'success' && n.kind === 'success'));
    set({ notices: [...kept, { id, kind, text, key }].slice(-4) });
    justSaid.add(id);
    queueMicrotask(() => justSaid.delete(id));
    if (kind === 'success') setTimeout(() => get().dismiss(id), 4000);
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  leaveView() {
    const keep = get().notices.filter((n) => justSaid.has(n.id));
    if (keep.length !== get().notices.length) set({ notices: keep });
  },
  dismissErrors(key) {
    const keep = get().notices.filter((n) => n.kind !== 'error' || n.key === undefined || (key !== undefined && n.key !== key));
    if (keep.length !== get().notices.length) set({ notices: keep });
  },

  async saveSettings(patch) {
    const res = await call('settings.update', patch);
    if (!res.ok) return { ok: false, error: res.error };
    set({ settings: res.value });
    return { ok: true };
  },
}));
