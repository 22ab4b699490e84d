import { create } from 'zustand';
import type { StaffMember } from '../../../shared/contract/staff';
import type { PosErrorShape } from '../../../shared/errors';
import { call } from '../rpc/client';
import { useApp } from './appStore';
import { useViews } from './viewStore';

type SessionState = {
  staff: StaffMember[];
  staffError: string | null;
  loadStaff(): Promise<void>;
  signIn(staffId: string, pin: string): Promise<{ ok: true } | { ok: false; error: PosErrorShape }>;
  /** First sign-in after a manager set the PIN: the temporary PIN and the person's own. */
  setNewPin(staffId: string, pin: string, newPin: string): Promise<{ ok: true } | { ok: false; error: PosErrorShape }>;
  signOut(): Promise<void>;
};

/** Staff sign-in and sign-out. Who is signed in lives in the app store (the title bar shows it). */
export const useSession = create<SessionState>((set) => ({
  staff: [],
  staffError: null,

  async loadStaff() {
    const res = await call('staff.list', {});
    if (res.ok) set({ staff: res.value.staff, staffError: null });
    else set({ staffError: res.error.message });
  },

  async setNewPin(staffId, pin, newPin) {
    const res = await call('session.setNewPin', { staffId, pin, newPin });
    if (!res.ok) return { ok: false, error: res.error };
    useApp.setState({ session: res.value, screen: 'counter' });
    useViews.getState().focusSearch();
    void useApp.getState().load();
    return { ok: true };
  },

  async signIn(staffId, pin) {
    const res = await call('session.signIn', { staffId, pin });
    if (!res.ok) return { ok: false, error: res.error };
    useApp.setState({ session: res.value, screen: 'counter' });
    useViews.getState().focusSearch();
    void useApp.getState().load();
    return { ok: true };
  },

  async signOut() {
    const res = await call('session.signOut', {});
    if (!res.ok) {
      useApp.getState().notify('error', res.error.message);
      return;
    }
    // The next person starts from a clean counter, not the last clerk's open booking.
    useViews.getState().home('counter');
    useViews.getState().home('bookings');
    useApp.setState({ session: res.value, paletteOpen: false });
  },
}));
